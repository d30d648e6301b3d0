//! Hungarian (informal "te").

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &["Kávé {day}?", "Egy gyors kávé {time}?", "Kávészünet {day}"],
        leads: &[
            "Lenne kedved {day} {time} meginni egy kávét?",
            "Erre jársz {day} {time}? Ihatnánk egy gyors kávét.",
        ],
        follows: &[
            "Semmi sietség, csak szólj, neked mi a jó.",
            "Azt hallottam, hogy {place} érdemes megkóstolni {food}.",
            "Ha egy másik nap jobb, az is teljesen rendben van.",
        ],
    },
    Topic {
        subjects: &["Ebéd {day}?", "Közös ebéd {day}", "Ebédelünk mostanában?"],
        leads: &[
            "Ebédeljünk együtt {day}?",
            "Végre lesz egy kis időm {day}, jó lenne együtt ebédelni.",
        ],
        follows: &[
            "Egy kolléga azt ajánlotta, hogy {place} kóstoljuk meg {food}.",
            "Találkozhatnánk {time}, ha neked is jó.",
            "Szólj, és foglalok asztalt.",
        ],
    },
    Topic {
        subjects: &[
            "A megbeszélés után",
            "Jegyzetek {project}",
            "Következő lépések",
        ],
        leads: &[
            "Még egyszer köszönöm a megbeszélést {project}.",
            "Ma reggel átnéztem a jegyzeteimet {project}.",
        ],
        follows: &[
            "Találnánk {day} egy fél órát, hogy megbeszéljük a következő lépéseket?",
            "Szerintem jól haladunk, már csak néhány apróság maradt.",
            "Szólj, ha valami fontos kimaradt.",
        ],
    },
    Topic {
        subjects: &[
            "Gyors kérdés {project}",
            "Egy apró kérdés",
            "Van valami újság {project}?",
        ],
        leads: &[
            "Van valami újság {project}?",
            "Lenne egy gyors kérdésem {project}.",
        ],
        follows: &[
            "Csak szeretném elkerülni, hogy kétszer csináljuk meg ugyanazt.",
            "Beszélhetünk róla {day} is, ha az egyszerűbb.",
        ],
    },
    Topic {
        subjects: &[
            "Nagyon köszönöm!",
            "Egy gyors köszönet",
            "Köszönöm a segítséget",
        ],
        leads: &[
            "Nagyon köszönöm a múlt heti segítségedet.",
            "Köszönöm, hogy szántál rám időt.",
        ],
        follows: &[
            "Tényleg sokat segített.",
            "Jövök neked egy kávéval, talán {day}?",
        ],
    },
    Topic {
        subjects: &[
            "Milyen volt a hétvégéd?",
            "Hétvégi hírek",
            "Egy nyugodt hétvége",
        ],
        leads: &[
            "Milyen volt a hétvégéd?",
            "Remélem, jól kipihented magad a hétvégén.",
        ],
        follows: &[
            "Szombaton {activity}, pont erre volt szükségem.",
            "Jó hétvégénk volt: {activity}, utána pedig nagyon jól aludtam.",
        ],
    },
    Topic {
        subjects: &["Ismered {item}?", "Egy tipp neked", "Valami a hétvégére"],
        leads: &[
            "Ismered már {item}?",
            "Egy kolléga nagyon ajánlotta {item}, és azonnal megszerettem.",
        ],
        follows: &[
            "Szerintem neked is tetszene.",
            "Mindenképp mondd el, mit gondolsz róla.",
            "Beszélhetünk róla {day} ebéd közben.",
        ],
    },
    Topic {
        subjects: &[
            "Rövid hívás {day}?",
            "Beszéljünk {day}?",
            "Idő egy beszélgetésre",
        ],
        leads: &[
            "Lenne {day} negyed órád egy rövid hívásra?",
            "Fel tudnálak hívni {day} pár percre?",
        ],
        follows: &[
            "Semmi sürgős, csak szeretném hallani, hogy mennek a dolgok.",
            "Jó lenne neked {time}?",
            "Csak pár perc lesz, ígérem.",
        ],
    },
    Topic {
        subjects: &["Rég beszéltünk", "Hogy vagy?", "Találkozunk mostanában?"],
        leads: &[
            "Már jó ideje nem beszéltünk.",
            "Azon gondolkodtam, hogy vagy mostanában.",
        ],
        follows: &[
            "Ráérsz {day}? Találkozhatnánk {place}.",
            "Meséld el, mi újság veled.",
        ],
    },
    Topic {
        subjects: &["Kis összejövetel {day}", "Jössz {day}?", "Egy kis ünneplés"],
        leads: &[
            "Kis összejövetelt tartunk {day} {place}.",
            "Néhányan összegyűlünk {day} {place}, hogy megünnepeljük a negyedév végét.",
        ],
        follows: &[
            "Azt mondják, ott érdemes megkóstolni {food}.",
            "Jó lenne, ha be tudnál nézni, akár csak fél órára.",
            "Valószínűleg {time} kezdünk.",
        ],
    },
    Topic {
        subjects: &[
            "Friss hírek {project}",
            "Jó hírek {project}",
            "Egy rövid frissítés",
        ],
        leads: &[
            "Egy rövid frissítés {project}: jól haladunk.",
            "Jó hírek {project}: ezen a héten sokat léptünk előre.",
        ],
        follows: &[
            "A részleteket elmesélem, amikor {day} találkozunk.",
            "Van még néhány nyitott kérdés, de semmi komoly.",
        ],
    },
];

/// The Hungarian bank.
pub(crate) const BANK: Bank = Bank {
    code: "hu",
    greetings: &[
        "Szia {to}!",
        "Szia {to},",
        "Jó reggelt, {to}!",
        "Helló {to},",
    ],
    plain_greetings: &["Szia!", "Sziasztok!", "Jó reggelt!", "Helló,"],
    openers: &[
        "Remélem, jól telik a heted.",
        "Remélem, jól vagy.",
        "Remélem, jó hétvégéd volt.",
        "Jó volt látni téged a minap.",
        "Remélem, nálad most egy kicsit nyugodtabb a helyzet.",
    ],
    topics: TOPICS,
    wishes: &[
        "Szép hetet!",
        "Legyen szép napod!",
        "Hamarosan beszélünk.",
        "Jó hétvégét!",
    ],
    signoffs: &[
        "Üdv,",
        "Üdvözlettel,",
        "Minden jót,",
        "Barátsággal,",
        "Köszönettel,",
    ],
    acks: &[
        "Köszönöm az üzenetet!",
        "De jó, hogy írtál.",
        "Szuper, köszi, hogy szóltál.",
        "Köszi, jól hangzik.",
    ],
    answers: &[
        "Nekem megfelel, csináljuk így.",
        "Megnézem a naptáramat, és {day} jelentkezem.",
        "Ott leszek, találkozunk {day}.",
        "Nagyon szívesen, {time} tökéletes.",
        "Még nem volt időm foglalkozni vele, de hamarosan sorra kerül.",
        "Beszéljük meg nyugodtan, amikor találkozunk.",
    ],
    attribution: "{date} időpontban {name} ezt írta:",
    attribution_anon: "Eredeti üzenet, {date}:",
    date_format: "%Y. %m. %d. %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "hétfőn",
            "kedden",
            "szerdán",
            "csütörtökön",
            "pénteken",
            "holnap",
            "holnapután",
            "jövő héten",
        ],
        time: &[
            "délelőtt",
            "tíz körül",
            "dél körül",
            "ebéd után",
            "három körül",
            "késő délután",
        ],
        place: &[
            "a sarki kávézóban",
            "az állomás melletti pékségben",
            "a folyóparti parkban",
            "a tér kis bisztrójában",
            "a tetőteraszon",
            "az iroda melletti új helyen",
            "a múzeum kávézójában",
        ],
        food: &[
            "az almás pitét",
            "a napi levest",
            "a citromos sütit",
            "a zöldséges pitét",
            "a kakaós csigát",
            "a túrós rétest",
            "a répatortát",
        ],
        project: &[
            "a negyedéves jelentésről",
            "az új weboldalról",
            "a betanítási útmutatóról",
            "a költségvetés-tervezetről",
            "az ügyfélprezentációról",
            "a tavaszi hírlevélről",
            "az irodaköltözésről",
            "a képzési tervről",
            "a csapat kézikönyvéről",
        ],
        activity: &[
            "túrázni voltunk a hegyekben",
            "végre megjavítottuk a régi biciklit",
            "az egész napot a tónál töltöttük",
            "kipróbáltunk egy új kenyérreceptet",
            "meglátogattuk a rokonokat vidéken",
            "elmentünk egy kis jazzkoncertre",
            "kifestettük a vendégszobát",
            "nagyot sétáltunk a parton",
        ],
        item: &[
            "azt az alvásról szóló podcastot",
            "a méhekről szóló filmet",
            "az új krimisorozatot",
            "a kikötői kis könyvesboltot",
            "a folyó menti túraútvonalat",
            "az új kiállítást",
            "az Alpokról szóló hangoskönyvet",
        ],
    },
};
