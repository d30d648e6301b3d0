//! Danish.

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Kaffe {day}?",
            "En hurtig kop kaffe {time}?",
            "Tid til en kop kaffe?",
        ],
        leads: &[
            "Har du lyst til en kop kaffe {day} {time}?",
            "Er du i nærheden {day} {time}? Så kunne vi tage en hurtig kop kaffe.",
        ],
        follows: &[
            "Ingen hast, sig bare til, hvad der passer dig.",
            "Jeg har hørt, at man skal smage {food} {place}.",
            "Hvis en anden dag passer bedre, er det også helt fint.",
        ],
    },
    Topic {
        subjects: &[
            "Frokost {day}?",
            "Skal vi spise frokost {day}?",
            "Frokost snart?",
        ],
        leads: &[
            "Skal vi spise frokost sammen {day}?",
            "Jeg har endelig lidt tid {day}, så en frokost sammen ville være hyggelig.",
        ],
        follows: &[
            "En kollega anbefalede {food} {place}.",
            "Vi kunne mødes {time}, hvis det passer dig.",
            "Sig til, så bestiller jeg et bord.",
        ],
    },
    Topic {
        subjects: &[
            "Efter vores møde",
            "Noter om {project}",
            "Næste skridt med {project}",
        ],
        leads: &[
            "Tak igen for mødet om {project}.",
            "Jeg har gennemgået mine noter om {project} her til morgen.",
        ],
        follows: &[
            "Kan vi finde en halv time {day} til at aftale de næste skridt?",
            "Jeg tror, vi er godt med, der mangler kun et par småting.",
            "Sig til, hvis jeg har overset noget vigtigt.",
        ],
    },
    Topic {
        subjects: &[
            "Et hurtigt spørgsmål om {project}",
            "Et lille spørgsmål",
            "Hvordan går det med {project}?",
        ],
        leads: &[
            "Ved du, hvem der tager sig af {project} lige nu?",
            "Jeg havde et hurtigt spørgsmål om {project}.",
        ],
        follows: &[
            "Jeg vil bare sikre mig, at vi ikke laver det samme arbejde to gange.",
            "Vi kan også tage det {day}, hvis det er nemmere.",
        ],
    },
    Topic {
        subjects: &[
            "Tusind tak!",
            "Tak for hjælpen",
            "Tak for hjælpen med {project}",
        ],
        leads: &[
            "Tusind tak for din hjælp med {project}.",
            "Tak fordi du tog dig tid til at gennemgå {project} med mig.",
        ],
        follows: &[
            "Det gjorde virkelig en forskel.",
            "Jeg skylder dig en kop kaffe, måske {day}?",
        ],
    },
    Topic {
        subjects: &[
            "Hvordan var din weekend?",
            "Nyt fra weekenden",
            "En rolig weekend",
        ],
        leads: &[
            "Hvordan var din weekend?",
            "Jeg håber, du har haft en afslappende weekend.",
        ],
        follows: &[
            "Vi {activity}, og det var lige hvad jeg trængte til.",
            "Vi {activity}, og bagefter sov jeg rigtig godt.",
        ],
    },
    Topic {
        subjects: &["Kender du {item}?", "Et tip til dig", "Noget til weekenden"],
        leads: &[
            "Kender du {item}?",
            "En kollega anbefalede mig {item}, og jeg var helt begejstret.",
        ],
        follows: &[
            "Jeg tror, du ville kunne lide det.",
            "Fortæl mig endelig, hvad du synes.",
            "Vi kan snakke om det over frokosten {day}.",
        ],
    },
    Topic {
        subjects: &[
            "Et kort opkald {day}?",
            "Skal vi ringes ved {day}?",
            "Tid til en snak",
        ],
        leads: &[
            "Har du et kvarter {day} til et kort opkald?",
            "Kan vi lige ringes ved {day}?",
        ],
        follows: &[
            "Ikke noget der haster, jeg vil bare høre, hvordan det går.",
            "Passer det dig {time}?",
            "Det tager kun et par minutter, det lover jeg.",
        ],
    },
    Topic {
        subjects: &["Længe siden", "Hvordan går det?", "Skal vi ses snart?"],
        leads: &[
            "Det er efterhånden længe siden, vi har snakket sammen.",
            "Jeg kom til at tænke på, hvordan du har det for tiden.",
        ],
        follows: &[
            "Har du tid {day}? Vi kunne mødes {place}.",
            "Fortæl, hvordan det går hos dig.",
        ],
    },
    Topic {
        subjects: &[
            "Lille komsammen {day}",
            "Er du med {day}?",
            "En lille fejring",
        ],
        leads: &[
            "Vi holder en lille komsammen {place} {day}.",
            "Nogle af os mødes {place} {day} for at fejre, at kvartalet er slut.",
        ],
        follows: &[
            "Jeg har hørt, at {food} er fremragende der.",
            "Det ville være dejligt, hvis du kunne kigge forbi, bare en halv time.",
            "Vi starter nok {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Status på {project}",
            "Gode nyheder om {project}",
            "En kort opdatering",
        ],
        leads: &[
            "Bare en kort opdatering: {project} skrider godt frem.",
            "Vi er kommet et godt stykke videre med {project} i denne uge.",
        ],
        follows: &[
            "Jeg fortæller dig detaljerne, når vi ses {day}.",
            "Der er stadig et par åbne spørgsmål, men ikke noget alvorligt.",
        ],
    },
];

/// The Danish bank.
pub(crate) const BANK: Bank = Bank {
    code: "da",
    greetings: &["Hej {to},", "Hej {to}!", "Godmorgen {to},", "Kære {to},"],
    plain_greetings: &["Hej,", "Hej alle,", "Godmorgen,", "Hej med jer,"],
    openers: &[
        "Jeg håber, din uge går godt.",
        "Jeg håber, du har det godt.",
        "Jeg håber, du har haft en god weekend.",
        "Det var hyggeligt at se dig forleden.",
        "Jeg håber, der er lidt mere ro på hos dig.",
    ],
    topics: TOPICS,
    wishes: &[
        "God uge!",
        "Hav en god dag.",
        "Vi ses snart.",
        "God weekend!",
    ],
    signoffs: &[
        "Mange hilsner,",
        "Venlig hilsen,",
        "Bedste hilsner,",
        "Hilsen,",
        "Kærlig hilsen,",
    ],
    acks: &[
        "Tak for din besked!",
        "Dejligt at høre fra dig.",
        "Super, tak fordi du sagde til.",
        "Tak, det lyder godt.",
    ],
    answers: &[
        "Det passer mig fint, lad os gøre det.",
        "Jeg kigger i min kalender og vender tilbage {day}.",
        "Jeg er med, vi ses {day}.",
        "Meget gerne, {time} er perfekt.",
        "Jeg har ikke nået at kigge på det endnu, men det gør jeg snart.",
        "Lad os tage det i ro og mag, når vi ses.",
    ],
    attribution: "Den {date} skrev {name}:",
    attribution_anon: "Oprindelig besked fra {date}:",
    date_format: "%d.%m.%Y kl. %H.%M",
    space: " ",
    slots: Slots {
        day: &[
            "på mandag",
            "på tirsdag",
            "på onsdag",
            "på torsdag",
            "på fredag",
            "i morgen",
            "i overmorgen",
            "i næste uge",
        ],
        time: &[
            "om formiddagen",
            "ved titiden",
            "ved middagstid",
            "efter frokost",
            "ved tretiden",
            "sidst på eftermiddagen",
        ],
        place: &[
            "på caféen på hjørnet",
            "hos bageren ved stationen",
            "i parken ved åen",
            "på den lille bistro ved torvet",
            "på tagterrassen",
            "på det nye sted ved kontoret",
            "i museets café",
        ],
        food: &[
            "æblekagen",
            "dagens suppe",
            "citronkagen",
            "grøntsagstærten",
            "kanelsneglene",
            "smørrebrødet",
            "gulerodskagen",
        ],
        project: &[
            "kvartalsrapporten",
            "den nye hjemmeside",
            "introduktionsguiden",
            "budgettet",
            "kundepræsentationen",
            "forårets nyhedsbrev",
            "kontorflytningen",
            "kursusplanen",
            "teamhåndbogen",
        ],
        activity: &[
            "var på vandretur i bakkerne",
            "fik endelig lavet den gamle cykel",
            "var hele dagen ved søen",
            "prøvede en ny brødopskrift",
            "besøgte familien på landet",
            "var til en lille jazzkoncert",
            "malede gæsteværelset",
            "gik en lang tur ved stranden",
        ],
        item: &[
            "den podcast om søvn",
            "dokumentaren om bier",
            "den nye krimiserie",
            "den lille boghandel ved havnen",
            "vandrestien langs åen",
            "den nye udstilling",
            "lydbogen om Alperne",
        ],
    },
};
