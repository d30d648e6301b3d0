//! Romanian (informal "tu"; no gendered adjectives for writer or reader).

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "O cafea {day}?",
            "O cafea rapidă {time}?",
            "Pauză de cafea {day}",
        ],
        leads: &[
            "Ai chef de o cafea {day} {time}?",
            "Ești prin zonă {day} {time}? Am putea bea o cafea pe fugă.",
        ],
        follows: &[
            "Nicio grabă, spune-mi doar ce îți convine.",
            "Se spune că {place} merită să încerci {food}.",
            "Dacă altă zi îți convine mai bine, nicio problemă.",
        ],
    },
    Topic {
        subjects: &[
            "Prânz {day}?",
            "Mâncăm împreună {day}?",
            "Un prânz în curând?",
        ],
        leads: &[
            "Ce zici să luăm prânzul împreună {day}?",
            "Am în sfârșit puțin timp {day}, un prânz împreună ar fi minunat.",
        ],
        follows: &[
            "O colegă recomandă ca {place} să încercăm {food}.",
            "Ne putem vedea {time}, dacă îți convine.",
            "Spune-mi și rezerv o masă.",
        ],
    },
    Topic {
        subjects: &[
            "După întâlnirea noastră",
            "Notițe despre {project}",
            "Pașii următori pentru {project}",
        ],
        leads: &[
            "Mulțumesc încă o dată pentru întâlnirea despre {project}.",
            "Azi-dimineață mi-am recitit notițele despre {project}.",
        ],
        follows: &[
            "Putem găsi o jumătate de oră {day} ca să stabilim pașii următori?",
            "Cred că ne încadrăm în plan, au rămas doar câteva detalii.",
            "Spune-mi dacă mi-a scăpat ceva important.",
        ],
    },
    Topic {
        subjects: &[
            "O întrebare scurtă despre {project}",
            "O mică întrebare",
            "Noutăți despre {project}?",
        ],
        leads: &[
            "Știi cine se ocupă acum de {project}?",
            "Am o întrebare scurtă despre {project}.",
        ],
        follows: &[
            "Vreau doar să mă asigur că nu facem aceeași muncă de două ori.",
            "Putem vorbi despre asta și {day}, dacă e mai simplu.",
        ],
    },
    Topic {
        subjects: &[
            "Mulțumesc mult!",
            "Mulțumesc pentru ajutor",
            "Mulțumesc pentru ajutorul cu {project}",
        ],
        leads: &[
            "Mulțumesc mult pentru ajutorul cu {project}.",
            "Mulțumesc că ți-ai făcut timp să ne uităm împreună pe material.",
        ],
        follows: &[
            "M-a ajutat cu adevărat foarte mult.",
            "Îți datorez o cafea, poate {day}?",
        ],
    },
    Topic {
        subjects: &[
            "Cum a fost weekendul?",
            "Vești din weekend",
            "Un weekend liniștit",
        ],
        leads: &[
            "Cum ți-a fost weekendul?",
            "Sper că weekendul a fost liniștit și plăcut.",
        ],
        follows: &[
            "Sâmbătă {activity} și exact de asta aveam nevoie.",
            "La noi a fost minunat: {activity}, iar apoi am dormit excelent.",
        ],
    },
    Topic {
        subjects: &[
            "Cunoști {item}?",
            "O recomandare pentru tine",
            "Ceva pentru weekend",
        ],
        leads: &[
            "Cunoști deja {item}?",
            "O colegă mi-a recomandat {item} și chiar merită.",
        ],
        follows: &[
            "Cred că ți-ar plăcea.",
            "Spune-mi ce părere ai.",
            "Putem vorbi despre asta {day} la prânz.",
        ],
    },
    Topic {
        subjects: &[
            "Un apel scurt {day}?",
            "Vorbim {day}?",
            "Un moment de discuție",
        ],
        leads: &[
            "Ai un sfert de oră {day} pentru un apel scurt?",
            "Putem vorbi puțin la telefon {day}?",
        ],
        follows: &[
            "Nimic urgent, vreau doar să aflu cum merg lucrurile.",
            "Ți-ar conveni {time}?",
            "Durează doar câteva minute, promit.",
        ],
    },
    Topic {
        subjects: &[
            "Nu am mai vorbit de mult",
            "Ce mai faci?",
            "Ne vedem curând?",
        ],
        leads: &[
            "A trecut ceva vreme de când n-am mai vorbit.",
            "Mă întrebam ce mai faci în ultima vreme.",
        ],
        follows: &[
            "Ai timp {day}? Ne-am putea vedea {place}.",
            "Povestește-mi ce mai e nou la tine.",
        ],
    },
    Topic {
        subjects: &[
            "O mică întâlnire {day}",
            "Vii și tu {day}?",
            "O mică sărbătoare",
        ],
        leads: &[
            "Organizăm o mică întâlnire {place} {day}.",
            "Câțiva dintre noi ne vedem {day} {place} ca să sărbătorim finalul trimestrului.",
        ],
        follows: &[
            "Se spune că acolo merită să încerci {food}.",
            "Ar fi frumos să te vedem, chiar și pentru o jumătate de oră.",
            "Probabil începem {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Noutăți despre {project}",
            "Vești bune despre {project}",
            "O scurtă actualizare",
        ],
        leads: &[
            "O scurtă actualizare despre {project}: totul merge bine.",
            "Vești bune despre {project}: săptămâna asta am avansat destul de mult.",
        ],
        follows: &[
            "Îți povestesc detaliile când ne vedem {day}.",
            "Au rămas câteva întrebări deschise, dar nimic grav.",
        ],
    },
];

/// The Romanian bank.
pub(crate) const BANK: Bank = Bank {
    code: "ro",
    greetings: &[
        "Bună, {to},",
        "Salut, {to}!",
        "Bună dimineața, {to},",
        "Dragă {to},",
    ],
    plain_greetings: &["Bună,", "Salut!", "Bună dimineața,", "Salutare tuturor,"],
    openers: &[
        "Sper că săptămâna ta merge bine.",
        "Sper că ești bine.",
        "Sper că ai avut un weekend frumos.",
        "A fost plăcut să ne vedem zilele trecute.",
        "Sper că e ceva mai liniște la tine acum.",
    ],
    topics: TOPICS,
    wishes: &[
        "O săptămână bună!",
        "O zi frumoasă.",
        "Vorbim curând.",
        "Weekend plăcut!",
    ],
    signoffs: &[
        "Toate cele bune,",
        "Cu drag,",
        "Mulțumesc și pe curând,",
        "Numai bine,",
        "Pe curând,",
    ],
    acks: &[
        "Mulțumesc pentru mesaj!",
        "Mă bucur să aud de tine.",
        "Super, mulțumesc că mi-ai spus.",
        "Mulțumesc, sună bine.",
    ],
    answers: &[
        "Mie îmi convine, hai să facem așa.",
        "Mă uit în calendar și îți scriu {day}.",
        "S-a făcut, ne vedem {day}.",
        "Cu plăcere, {time} e perfect.",
        "Încă nu am apucat să mă uit, dar o fac curând.",
        "Hai să vorbim pe îndelete când ne vedem.",
    ],
    attribution: "Pe {date}, {name} a scris:",
    attribution_anon: "Mesajul original din {date}:",
    date_format: "%d.%m.%Y, la %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "luni",
            "marți",
            "miercuri",
            "joi",
            "vineri",
            "mâine",
            "poimâine",
            "săptămâna viitoare",
        ],
        time: &[
            "dimineața",
            "pe la zece",
            "pe la prânz",
            "după prânz",
            "pe la trei",
            "spre seară",
        ],
        place: &[
            "la cafeneaua din colț",
            "la brutăria de lângă gară",
            "în parcul de lângă râu",
            "la bistroul din piață",
            "pe terasa de pe acoperiș",
            "la localul nou de lângă birou",
            "la cafeneaua muzeului",
        ],
        food: &[
            "plăcinta cu mere",
            "supa zilei",
            "prăjitura cu lămâie",
            "tarta cu legume",
            "cozonacul",
            "papanașii",
            "tortul de morcovi",
        ],
        project: &[
            "raportul trimestrial",
            "noul site",
            "ghidul pentru colegii noi",
            "proiectul de buget",
            "prezentarea pentru client",
            "newsletterul de primăvară",
            "mutarea biroului",
            "planul de instruire",
            "manualul echipei",
        ],
        activity: &[
            "am fost la o drumeție pe munte",
            "am reparat în sfârșit bicicleta veche",
            "am petrecut toată ziua la lac",
            "am încercat o rețetă nouă de pâine",
            "am fost în vizită la rude la țară",
            "am fost la un mic concert de jazz",
            "am zugrăvit camera de oaspeți",
            "am făcut o plimbare lungă pe malul mării",
        ],
        item: &[
            "podcastul acela despre somn",
            "documentarul despre albine",
            "noul serial polițist",
            "mica librărie de lângă port",
            "traseul de pe malul râului",
            "noua expoziție de la muzeu",
            "cartea audio despre Alpi",
        ],
    },
};
