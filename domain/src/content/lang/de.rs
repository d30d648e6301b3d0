//! German (informal "du", as between colleagues who know each other).

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Kaffee {day}?",
            "Kurze Kaffeepause {day}",
            "Lust auf einen Kaffee?",
            "Kaffee {time}?",
        ],
        leads: &[
            "Hast du Lust, {day} {time} auf einen Kaffee zu gehen?",
            "Bist du {day} {time} da? Dann könnten wir kurz einen Kaffee trinken.",
            "Ich brauche {day} {time} dringend eine Pause, kommst du mit auf einen Kaffee?",
        ],
        follows: &[
            "Kein Stress, sag einfach Bescheid, was dir passt.",
            "Wenn ein anderer Tag besser ist, ist das auch völlig in Ordnung.",
            "Angeblich ist {food} {place} richtig gut.",
        ],
    },
    Topic {
        subjects: &[
            "Mittagessen {day}?",
            "Mittagspause {day} zusammen?",
            "Mal wieder zusammen essen?",
            "Mittagspause {day}",
        ],
        leads: &[
            "Ein paar von uns gehen {day} zusammen essen, kommst du mit?",
            "Wollen wir {day} zusammen Mittag essen?",
            "Ich habe {day} endlich mal Zeit, ein gemeinsames Mittagessen wäre schön.",
        ],
        follows: &[
            "Mir wurde gesagt, dass {food} {place} besonders gut ist.",
            "Wir könnten uns {time} treffen, wenn dir das passt.",
            "Gib mir Bescheid, dann reserviere ich einen Tisch.",
        ],
    },
    Topic {
        subjects: &[
            "Nachtrag zum Thema {project}",
            "{project}: nächste Schritte",
            "Nach unserem Treffen",
            "Notizen zum Thema {project}",
        ],
        leads: &[
            "Danke noch mal für das Treffen zum Thema {project}.",
            "Ich bin heute früh meine Notizen zum Thema {project} durchgegangen.",
            "Ich wollte noch mal kurz auf unser Gespräch über {project} zurückkommen.",
        ],
        follows: &[
            "Hättest du {day} eine halbe Stunde, um die nächsten Schritte abzustimmen?",
            "Ich glaube, wir sind gut im Plan, es fehlen nur noch ein paar Kleinigkeiten.",
            "Sag gern Bescheid, falls ich etwas Wichtiges vergessen habe.",
        ],
    },
    Topic {
        subjects: &[
            "Kurze Frage zum Thema {project}",
            "Stand {project}",
            "Eine kleine Frage",
            "Rückfrage {project}",
        ],
        leads: &[
            "Weißt du, wer sich gerade um das Thema {project} kümmert?",
            "Ich hätte eine kurze Frage zum Thema {project}.",
            "Wie läuft es eigentlich beim Thema {project}?",
        ],
        follows: &[
            "Ich möchte nur sichergehen, dass wir nichts doppelt machen.",
            "Wir können auch gern {day} kurz darüber sprechen.",
            "Eine lange Antwort brauche ich nicht, ein paar Zeilen reichen völlig.",
        ],
    },
    Topic {
        subjects: &[
            "Vielen Dank!",
            "Danke für deine Hilfe",
            "Ein kurzes Dankeschön",
            "Danke für deine Hilfe beim Thema {project}",
        ],
        leads: &[
            "Vielen Dank für deine Hilfe beim Thema {project}.",
            "Danke, dass du dir die Zeit genommen hast, {project} mit mir durchzugehen.",
            "Ich wollte mich noch mal für deinen Input zum Thema {project} bedanken.",
        ],
        follows: &[
            "Das hat mir wirklich sehr geholfen.",
            "Dafür schulde ich dir einen Kaffee, vielleicht {day}?",
            "Ich weiß das sehr zu schätzen.",
        ],
    },
    Topic {
        subjects: &[
            "Wie war dein Wochenende?",
            "Neues vom Wochenende",
            "Zurück vom Wochenende",
            "Ein ruhiges Wochenende",
        ],
        leads: &[
            "Wie war dein Wochenende?",
            "Ich hoffe, du hattest ein erholsames Wochenende.",
            "Was für ein Wochenende, das Wetter war einfach perfekt.",
        ],
        follows: &[
            "Wir {activity}, genau das hatte ich gebraucht.",
            "Wir {activity} und danach habe ich richtig gut geschlafen.",
            "Wir {activity}, das hat richtig gutgetan.",
        ],
    },
    Topic {
        subjects: &[
            "Kennst du schon {item}?",
            "Ein Tipp für dich",
            "Kennst du {item}?",
            "Etwas fürs Wochenende",
        ],
        leads: &[
            "Kennst du eigentlich schon {item}?",
            "Ich musste neulich an {item} denken und dabei an dich.",
            "Eine Kollegin hat mir {item} empfohlen und ich war begeistert.",
        ],
        follows: &[
            "Ich glaube, das wäre genau dein Ding.",
            "Erzähl mir gern, wie du es fandest.",
            "Wir könnten {day} beim Mittagessen darüber reden.",
        ],
    },
    Topic {
        subjects: &[
            "Kurzes Telefonat {day}?",
            "Telefonieren {day}?",
            "Kurzer Austausch {day}?",
            "Einen Termin finden",
        ],
        leads: &[
            "Hast du {day} eine Viertelstunde für ein kurzes Telefonat?",
            "Können wir {day} kurz telefonieren?",
            "Es wäre gut, wenn wir {day} ein paar Minuten sprechen könnten.",
        ],
        follows: &[
            "Nichts Dringendes, ich möchte nur hören, wie es läuft.",
            "Würde es dir {time} passen?",
            "Ich halte mich kurz, versprochen.",
        ],
    },
    Topic {
        subjects: &[
            "Lange nichts gehört",
            "Wie geht es dir?",
            "Ein kurzes Hallo",
            "Mal wieder treffen?",
        ],
        leads: &[
            "Wir haben schon eine Weile nichts voneinander gehört.",
            "Ich habe mich gefragt, wie es dir gerade so geht.",
            "Mir ist aufgefallen, dass wir uns ewig nicht gesprochen haben.",
        ],
        follows: &[
            "Hast du {day} Zeit? Wir könnten uns {place} treffen.",
            "Am letzten Wochenende waren wir übrigens {place}, das war schön.",
            "Erzähl mal, wie es bei dir so läuft.",
        ],
    },
    Topic {
        subjects: &[
            "Kleines Beisammensein {day}",
            "Bist du {day} dabei?",
            "Kommst du {day} mit?",
            "Eine kleine Feier",
        ],
        leads: &[
            "Wir planen {day} ein kleines Beisammensein {place}.",
            "Ein paar von uns treffen sich {day} {place}, um das Quartalsende zu feiern.",
            "Wir dachten, ein gemeinsames Frühstück {place} wäre {day} mal eine schöne Abwechslung.",
        ],
        follows: &[
            "Angeblich ist {food} dort ausgezeichnet.",
            "Es wäre schön, wenn du vorbeikommst, auch nur für eine halbe Stunde.",
            "Wir fangen wahrscheinlich {time} an.",
        ],
    },
    Topic {
        subjects: &[
            "Update zum Thema {project}",
            "Gute Nachrichten: {project}",
            "Wo wir beim Thema {project} stehen",
            "Ein kurzes Update",
        ],
        leads: &[
            "Nur ein kurzes Update: Beim Thema {project} geht es gut voran.",
            "Gute Nachrichten, der erste Teil beim Thema {project} ist fertig.",
            "Wir sind diese Woche beim Thema {project} ein gutes Stück weitergekommen.",
        ],
        follows: &[
            "Die Details erzähle ich dir, wenn wir uns {day} sehen.",
            "Ein paar Fragen sind noch offen, aber nichts Ernstes.",
            "Danke für deine Geduld, während wir das geklärt haben.",
        ],
    },
    Topic {
        subjects: &[
            "Zurück aus dem Urlaub",
            "Wieder am Schreibtisch",
            "Nach meiner Reise",
            "Wieder im Büro",
        ],
        leads: &[
            "Ich bin nach ein paar Tagen weg wieder da und arbeite langsam alles auf.",
            "Ich bin gerade von einer kurzen Reise zurück und sortiere noch alles.",
            "Nach einer kurzen Auszeit bin ich wieder da, erholt und voller Energie.",
        ],
        follows: &[
            "Gibt es beim Thema {project} etwas, das ich wissen sollte?",
            "Wir sollten bald mal {place} zu Mittag essen und Geschichten austauschen.",
            "Sag mir gern Bescheid, falls in der Zwischenzeit etwas passiert ist.",
        ],
    },
];

/// The German bank.
pub(crate) const BANK: Bank = Bank {
    code: "de",
    greetings: &[
        "Hallo {to},",
        "Hi {to},",
        "Guten Morgen {to},",
        "Hey {to},",
        "Moin {to},",
    ],
    plain_greetings: &["Hallo,", "Hallo zusammen,", "Guten Morgen,", "Hi,"],
    openers: &[
        "Ich hoffe, deine Woche läuft gut.",
        "Ich hoffe, es geht dir gut.",
        "Ich hoffe, du hattest ein schönes Wochenende.",
        "Schön, dass wir uns neulich gesehen haben.",
        "Ich hoffe, bei dir ist es gerade etwas ruhiger.",
        "Ich hoffe, die Woche meint es gut mit dir.",
    ],
    topics: TOPICS,
    wishes: &[
        "Ich wünsche dir eine gute Woche!",
        "Einen schönen Tag noch.",
        "Mach's gut.",
        "Schönes Wochenende!",
        "Lass es dir gut gehen.",
    ],
    signoffs: &[
        "Viele Grüße,",
        "Liebe Grüße,",
        "Beste Grüße,",
        "Bis dann,",
        "Danke und viele Grüße,",
        "Herzliche Grüße,",
    ],
    acks: &[
        "Danke für deine Nachricht!",
        "Schön, von dir zu hören.",
        "Danke, dass du dich meldest.",
        "Super, danke für die Info.",
        "Danke, das klingt gut.",
        "Wie schön, von dir zu lesen.",
    ],
    answers: &[
        "Das passt mir gut, machen wir so.",
        "Ich schaue in meinen Kalender und melde mich {day}.",
        "Ich bin dabei, wir sehen uns {day}!",
        "Sehr gern, {time} passt perfekt.",
        "Ich bin noch nicht dazu gekommen, es mir anzusehen, mache das aber bald.",
        "Lass uns in Ruhe darüber sprechen, wenn wir uns sehen.",
        "Ich bringe meine Notizen mit.",
        "Klingt nach einem guten Plan.",
    ],
    attribution: "Am {date} schrieb {name}:",
    attribution_anon: "Ursprüngliche Nachricht vom {date}:",
    date_format: "%d.%m.%Y um %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "am Montag",
            "am Dienstag",
            "am Mittwoch",
            "am Donnerstag",
            "am Freitag",
            "morgen",
            "übermorgen",
            "nächste Woche",
        ],
        time: &[
            "am Vormittag",
            "gegen zehn",
            "gegen Mittag",
            "nach dem Mittagessen",
            "gegen drei",
            "am späten Nachmittag",
        ],
        place: &[
            "im Café an der Ecke",
            "in der Bäckerei am Bahnhof",
            "im Park am Fluss",
            "im kleinen Bistro am Markt",
            "auf der Dachterrasse",
            "im neuen Lokal neben dem Büro",
            "im Biergarten am Kanal",
            "im Gartencafé",
        ],
        food: &[
            "der Apfelkuchen",
            "die Tagessuppe",
            "der Käsekuchen",
            "die Gemüsequiche",
            "die Linsensuppe",
            "der Flammkuchen",
            "das Bananenbrot",
            "der Zwetschgenkuchen",
        ],
        project: &[
            "Quartalsbericht",
            "Website-Relaunch",
            "Einarbeitungsleitfaden",
            "Budgetentwurf",
            "Kundenpräsentation",
            "Frühjahrsnewsletter",
            "Büroumzug",
            "Schulungsplan",
            "Lieferantenauswahl",
            "Teamhandbuch",
        ],
        activity: &[
            "waren in den Bergen wandern",
            "haben endlich das alte Fahrrad repariert",
            "waren den ganzen Tag am See",
            "haben ein neues Brotrezept ausprobiert",
            "haben die Familie auf dem Land besucht",
            "waren auf einem kleinen Jazzkonzert",
            "haben das Gästezimmer gestrichen",
            "sind lange am Meer spazieren gegangen",
        ],
        item: &[
            "den Podcast über Schlaf",
            "die Doku über Bienen",
            "die neue Krimiserie",
            "den kleinen Buchladen am Hafen",
            "das Kochbuch mit grünem Umschlag",
            "den Wanderweg am Fluss",
            "die neue Ausstellung im Stadtmuseum",
            "das Hörbuch über die Alpen",
        ],
    },
};
