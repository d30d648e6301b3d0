//! Polish (informal "ty"; the writer's own past tense is avoided or plural, so it fits anyone).

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Kawa {day}?",
            "Szybka kawa {time}?",
            "Przerwa na kawę {day}",
        ],
        leads: &[
            "Masz ochotę na kawę {day} {time}?",
            "Będziesz w okolicy {day} {time}? Moglibyśmy wyskoczyć na szybką kawę.",
        ],
        follows: &[
            "Bez pośpiechu, daj znać, co ci pasuje.",
            "Podobno {place} trzeba spróbować {food}.",
            "Jeśli inny dzień jest wygodniejszy, to też żaden problem.",
        ],
    },
    Topic {
        subjects: &["Lunch {day}?", "Wspólny obiad {day}", "Obiad niedługo?"],
        leads: &[
            "Zjemy razem obiad {day}?",
            "Mam {day} wreszcie trochę czasu, wspólny obiad byłby świetny.",
        ],
        follows: &[
            "Ktoś z pracy polecił, żeby {place} spróbować {food}.",
            "Możemy się spotkać {time}, jeśli ci to odpowiada.",
            "Daj znać, to zarezerwuję stolik.",
        ],
    },
    Topic {
        subjects: &[
            "Po naszym spotkaniu",
            "Notatki w sprawie {project}",
            "Dalsze kroki w sprawie {project}",
        ],
        leads: &[
            "Jeszcze raz dzięki za spotkanie w sprawie {project}.",
            "Rano jeszcze raz przejrzeliśmy notatki w sprawie {project}.",
        ],
        follows: &[
            "Znajdziemy {day} pół godziny, żeby ustalić kolejne kroki?",
            "Wydaje mi się, że idziemy zgodnie z planem, zostało tylko kilka drobiazgów.",
            "Daj znać, jeśli coś ważnego mi umknęło.",
        ],
    },
    Topic {
        subjects: &[
            "Krótkie pytanie w sprawie {project}",
            "Małe pytanie",
            "Co słychać w sprawie {project}?",
        ],
        leads: &[
            "Wiesz może, kto teraz zajmuje się sprawą {project}?",
            "Mam krótkie pytanie w sprawie {project}.",
        ],
        follows: &[
            "Chcę tylko mieć pewność, że nie robimy dwa razy tej samej pracy.",
            "Możemy też pogadać o tym {day}, jeśli tak będzie łatwiej.",
        ],
    },
    Topic {
        subjects: &[
            "Bardzo dziękuję!",
            "Dzięki za pomoc",
            "Dzięki za pomoc w sprawie {project}",
        ],
        leads: &[
            "Bardzo dziękuję za pomoc w sprawie {project}.",
            "Dzięki, że znalazł się czas, żeby przejrzeć ze mną sprawę {project}.",
        ],
        follows: &["To naprawdę dużo zmieniło.", "Stawiam kawę, może {day}?"],
    },
    Topic {
        subjects: &[
            "Jak minął weekend?",
            "Wieści z weekendu",
            "Spokojny weekend",
        ],
        leads: &[
            "Jak minął ci weekend?",
            "Mam nadzieję, że weekend był udany i spokojny.",
        ],
        follows: &[
            "W sobotę {activity} i właśnie tego było mi trzeba.",
            "U nas weekend był świetny: {activity}, a potem spało się wyśmienicie.",
        ],
    },
    Topic {
        subjects: &["Znasz {item}?", "Polecajka dla ciebie", "Coś na weekend"],
        leads: &[
            "Znasz może {item}?",
            "Koleżanka poleciła mi {item} i jestem pod wrażeniem.",
        ],
        follows: &[
            "Myślę, że by ci się spodobało.",
            "Daj znać, co o tym sądzisz.",
            "Możemy o tym pogadać przy obiedzie {day}.",
        ],
    },
    Topic {
        subjects: &[
            "Krótka rozmowa {day}?",
            "Zdzwonimy się {day}?",
            "Chwila na rozmowę",
        ],
        leads: &[
            "Masz {day} kwadrans na krótką rozmowę telefoniczną?",
            "Możemy się zdzwonić {day}?",
        ],
        follows: &[
            "Nic pilnego, chcę tylko usłyszeć, jak leci.",
            "Pasuje ci {time}?",
            "To zajmie tylko kilka minut, obiecuję.",
        ],
    },
    Topic {
        subjects: &[
            "Dawno się nie słyszeliśmy",
            "Co u ciebie?",
            "Spotkamy się niedługo?",
        ],
        leads: &[
            "Dawno nie rozmawialiśmy.",
            "Zastanawiam się, co u ciebie ostatnio słychać.",
        ],
        follows: &[
            "Masz czas {day}? Moglibyśmy spotkać się {place}.",
            "Opowiadaj, jak ci leci.",
        ],
    },
    Topic {
        subjects: &[
            "Małe spotkanie {day}",
            "Wpadniesz {day}?",
            "Małe świętowanie",
        ],
        leads: &[
            "Organizujemy {day} małe spotkanie {place}.",
            "Kilka osób spotyka się {day} {place}, żeby uczcić koniec kwartału.",
        ],
        follows: &[
            "Mówią, że trzeba tam spróbować {food}.",
            "Fajnie by było, gdyby udało ci się wpaść, choćby na pół godziny.",
            "Zaczynamy pewnie {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Aktualności w sprawie {project}",
            "Dobre wieści w sprawie {project}",
            "Krótka aktualizacja",
        ],
        leads: &[
            "Krótka aktualizacja w sprawie {project}: wszystko idzie dobrze.",
            "Dobre wieści w sprawie {project}: w tym tygodniu posunęliśmy się mocno do przodu.",
        ],
        follows: &[
            "Szczegóły opowiem, jak się zobaczymy {day}.",
            "Zostało jeszcze kilka otwartych pytań, ale nic poważnego.",
        ],
    },
];

/// The Polish bank.
pub(crate) const BANK: Bank = Bank {
    code: "pl",
    greetings: &[
        "Cześć {to},",
        "Hej {to},",
        "Dzień dobry, {to},",
        "Cześć {to}!",
    ],
    plain_greetings: &["Cześć,", "Dzień dobry,", "Hej,", "Cześć wszystkim,"],
    openers: &[
        "Mam nadzieję, że tydzień mija ci dobrze.",
        "Mam nadzieję, że wszystko u ciebie w porządku.",
        "Mam nadzieję, że weekend był udany.",
        "Miło było cię ostatnio zobaczyć.",
        "Mam nadzieję, że u ciebie jest teraz trochę spokojniej.",
    ],
    topics: TOPICS,
    wishes: &[
        "Miłego tygodnia!",
        "Miłego dnia.",
        "Do usłyszenia.",
        "Udanego weekendu!",
    ],
    signoffs: &[
        "Pozdrawiam,",
        "Pozdrawiam serdecznie,",
        "Do zobaczenia,",
        "Serdeczności,",
        "Trzymaj się,",
    ],
    acks: &[
        "Dzięki za wiadomość!",
        "Miło cię słyszeć.",
        "Super, dzięki za informację.",
        "Dzięki, brzmi dobrze.",
    ],
    answers: &[
        "Mnie to pasuje, tak zróbmy.",
        "Zajrzę do kalendarza i odezwę się {day}.",
        "Wchodzę w to, do zobaczenia {day}.",
        "Bardzo chętnie, {time} pasuje idealnie.",
        "Jeszcze nie udało mi się do tego zajrzeć, ale zrobię to wkrótce.",
        "Porozmawiajmy o tym spokojnie, jak się zobaczymy.",
    ],
    attribution: "{date} {name} pisze:",
    attribution_anon: "Oryginalna wiadomość z {date}:",
    date_format: "%d.%m.%Y o %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "w poniedziałek",
            "we wtorek",
            "w środę",
            "w czwartek",
            "w piątek",
            "jutro",
            "pojutrze",
            "w przyszłym tygodniu",
        ],
        time: &[
            "przed południem",
            "około dziesiątej",
            "koło południa",
            "po obiedzie",
            "około piętnastej",
            "późnym popołudniem",
        ],
        place: &[
            "w kawiarni na rogu",
            "w piekarni przy dworcu",
            "w parku nad rzeką",
            "w małym bistro na rynku",
            "na tarasie na dachu",
            "w nowym lokalu obok biura",
            "w kawiarni przy muzeum",
        ],
        food: &[
            "szarlotki",
            "zupy dnia",
            "sernika",
            "tarty warzywnej",
            "drożdżówek",
            "pierogów z kapustą",
            "ciasta marchewkowego",
        ],
        project: &[
            "raportu kwartalnego",
            "nowej strony internetowej",
            "poradnika dla nowicjuszy",
            "projektu budżetu",
            "prezentacji dla klienta",
            "wiosennego newslettera",
            "przeprowadzki biura",
            "harmonogramu szkoleń",
            "podręcznika zespołu",
        ],
        activity: &[
            "byliśmy na wycieczce w górach",
            "w końcu naprawiliśmy stary rower",
            "spędziliśmy cały dzień nad jeziorem",
            "wypróbowaliśmy nowy przepis na chleb",
            "odwiedziliśmy rodzinę na wsi",
            "byliśmy na małym koncercie jazzowym",
            "pomalowaliśmy pokój gościnny",
            "poszliśmy na długi spacer nad morzem",
        ],
        item: &[
            "ten podcast o śnie",
            "dokument o pszczołach",
            "nowy serial kryminalny",
            "małą księgarnię przy porcie",
            "szlak wzdłuż rzeki",
            "nową wystawę w muzeum",
            "audiobook o Alpach",
        ],
    },
};
