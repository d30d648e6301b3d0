//! Italian (informal "tu", as between colleagues who know each other).

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Un caffè {day}?",
            "Pausa caffè {day}",
            "Caffè {time}?",
            "Ci prendiamo un caffè?",
        ],
        leads: &[
            "Ti va di prendere un caffè {day} {time}?",
            "Sei in zona {day} {time}? Potremmo bere un caffè al volo.",
            "Avrò bisogno di una pausa {day} {time}, andiamo a prendere un caffè?",
        ],
        follows: &[
            "Nessuna fretta, dimmi tu cosa ti torna meglio.",
            "Se un altro giorno ti è più comodo, va benissimo lo stesso.",
            "Dicono che valga la pena assaggiare {food} {place}.",
        ],
    },
    Topic {
        subjects: &[
            "Pranzo {day}?",
            "Pranziamo insieme {day}?",
            "Un pranzo a breve?",
            "Pausa pranzo {day}",
        ],
        leads: &[
            "Qualcuno di noi pranza insieme {day}, ti unisci?",
            "Che ne dici di pranzare insieme {day}?",
            "Finalmente ho un po' di tempo {day}, un pranzo insieme sarebbe bello.",
        ],
        follows: &[
            "Mi hanno consigliato {food} {place}.",
            "Potremmo vederci {time}, se per te va bene.",
            "Fammi sapere e prenoto un tavolo.",
        ],
    },
    Topic {
        subjects: &[
            "Dopo la riunione",
            "Appunti per {project}",
            "Prossimi passi per {project}",
            "Ancora su {project}",
        ],
        leads: &[
            "Grazie ancora per la riunione di ieri, in particolare per {project}.",
            "Stamattina ho riletto i miei appunti per {project}.",
            "Volevo riprendere quello che ci siamo detti per {project}.",
        ],
        follows: &[
            "Riusciamo a trovare mezz'ora {day} per decidere i prossimi passi?",
            "Credo che siamo nei tempi, mancano solo alcuni dettagli.",
            "Dimmi se mi è sfuggito qualcosa di importante.",
        ],
    },
    Topic {
        subjects: &[
            "Domanda veloce: {project}",
            "Una piccola domanda",
            "Come va con {project}?",
            "Un dubbio: {project}",
        ],
        leads: &[
            "Sai chi segue adesso {project}?",
            "Avrei una domanda veloce per {project}.",
            "Come procede con {project}?",
        ],
        follows: &[
            "Voglio solo evitare di fare lo stesso lavoro due volte.",
            "Se ti è più comodo, ne parliamo {day}.",
            "Non serve una risposta lunga, bastano due righe.",
        ],
    },
    Topic {
        subjects: &[
            "Grazie mille!",
            "Grazie per l'aiuto",
            "Un piccolo grazie",
            "Grazie per l'aiuto con {project}",
        ],
        leads: &[
            "Grazie mille per l'aiuto con {project}.",
            "Grazie per aver trovato il tempo di rivedere con me {project}.",
            "Volevo ringraziarti per i tuoi suggerimenti per {project}.",
        ],
        follows: &[
            "Mi è stato davvero utile.",
            "Ti devo un caffè, magari {day}?",
            "Lo apprezzo davvero tanto.",
        ],
    },
    Topic {
        subjects: &[
            "Com'è andato il weekend?",
            "Notizie dal weekend",
            "Di ritorno dal weekend",
            "Un weekend tranquillo",
        ],
        leads: &[
            "Com'è andato il tuo weekend?",
            "Spero che tu abbia passato un weekend rilassante.",
            "Che weekend, il tempo era perfetto.",
        ],
        follows: &[
            "Noi {activity}, proprio quello che mi serviva.",
            "Sabato {activity} e domenica non ho fatto quasi niente.",
            "Da parte nostra, {activity} e poi ho dormito benissimo.",
        ],
    },
    Topic {
        subjects: &[
            "Conosci {item}?",
            "Un consiglio per te",
            "Potrebbe piacerti",
            "Un'idea per il weekend",
        ],
        leads: &[
            "Conosci già {item}?",
            "Ho scoperto {item} e ho subito pensato a te.",
            "Una collega mi ha consigliato {item} e ha avuto proprio ragione.",
        ],
        follows: &[
            "Credo che ti piacerebbe.",
            "Se ci dai un'occhiata, fammi sapere cosa ne pensi.",
            "Possiamo parlarne a pranzo {day}.",
        ],
    },
    Topic {
        subjects: &[
            "Una telefonata {day}?",
            "Chiamata veloce {day}",
            "Trovare un momento per sentirci",
            "Ci sentiamo {day}?",
        ],
        leads: &[
            "Hai un quarto d'ora {day} per una telefonata veloce?",
            "Possiamo sentirci un attimo al telefono {day}?",
            "Sarebbe bello sentirci qualche minuto {day}.",
        ],
        follows: &[
            "Niente di urgente, voglio solo sapere come va.",
            "Ti andrebbe bene {time}?",
            "Saranno pochi minuti, promesso.",
        ],
    },
    Topic {
        subjects: &[
            "Quanto tempo!",
            "Come stai?",
            "Tutto bene?",
            "Ci vediamo presto?",
        ],
        leads: &[
            "È da un po' che non ci sentiamo.",
            "Mi chiedevo come te la passi in questo periodo.",
            "Ho notato che non ci vediamo da una vita.",
        ],
        follows: &[
            "Hai tempo {day}? Potremmo vederci {place}.",
            "Lo scorso weekend {activity}, è stato molto piacevole.",
            "Raccontami come vanno le cose da te.",
        ],
    },
    Topic {
        subjects: &[
            "Piccolo ritrovo {day}",
            "Ti unisci a noi {day}?",
            "Ci vediamo {day}?",
            "Una piccola festa",
        ],
        leads: &[
            "Stiamo organizzando un piccolo ritrovo {place} {day}.",
            "Qualcuno di noi si vede {place} {day} per festeggiare la fine del trimestre.",
            "Abbiamo pensato che una colazione di squadra {place} {day} sarebbe un bel cambiamento.",
        ],
        follows: &[
            "Dicono che lì valga la pena assaggiare {food}.",
            "Sarebbe bello se riuscissi a passare, anche solo per mezz'ora.",
            "Probabilmente cominciamo {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Aggiornamento: {project}",
            "Buone notizie per {project}",
            "A che punto è {project}?",
            "Un breve aggiornamento",
        ],
        leads: &[
            "Solo un breve aggiornamento: con {project} stiamo andando bene.",
            "Buone notizie: con {project} abbiamo chiuso la prima fase.",
            "Questa settimana siamo andati avanti parecchio con {project}.",
        ],
        follows: &[
            "Ti racconto i dettagli quando ci vediamo {day}.",
            "Restano un paio di questioni aperte, ma niente di grave.",
            "Grazie per la pazienza mentre sistemavamo tutto.",
        ],
    },
    Topic {
        subjects: &[
            "Di ritorno dalle vacanze",
            "Di nuovo in ufficio",
            "Dopo il viaggio",
            "Eccomi di nuovo",
        ],
        leads: &[
            "Eccomi di nuovo dopo qualche giorno fuori, sto recuperando piano piano.",
            "Rientro adesso da un breve viaggio e sto ancora mettendo ordine.",
            "Eccomi dopo una breve pausa, con le energie ricaricate.",
        ],
        follows: &[
            "C'è qualcosa che dovrei sapere per {project}?",
            "Dovremmo pranzare presto {place} e raccontarci le novità.",
            "Fammi sapere se è successo qualcosa mentre ero via.",
        ],
    },
];

/// The Italian bank.
pub(crate) const BANK: Bank = Bank {
    code: "it",
    greetings: &[
        "Ciao {to},",
        "Ciao {to}!",
        "Buongiorno {to},",
        "Ehi {to},",
        "Salve {to},",
    ],
    plain_greetings: &["Ciao,", "Buongiorno,", "Ciao a tutti,", "Salve,"],
    openers: &[
        "Spero che la tua settimana stia andando bene.",
        "Spero che tu stia bene.",
        "Spero che tu abbia passato un bel weekend.",
        "È stato bello vederti l'altro giorno.",
        "Spero che da te le cose siano un po' più tranquille.",
        "Spero che vada tutto bene.",
    ],
    topics: TOPICS,
    wishes: &[
        "Buona settimana!",
        "Buona giornata.",
        "Goditi il resto della giornata.",
        "Ci sentiamo presto.",
        "Buon fine settimana!",
    ],
    signoffs: &[
        "Un saluto,",
        "Un abbraccio,",
        "A presto,",
        "Saluti,",
        "Grazie e a presto,",
        "Cari saluti,",
    ],
    acks: &[
        "Grazie per il messaggio!",
        "Che bello sentirti.",
        "Grazie per avermi scritto.",
        "Perfetto, grazie per avermi avvisato.",
        "Grazie, mi sembra un'ottima idea.",
        "Mi fa piacere avere tue notizie.",
    ],
    answers: &[
        "Per me va benissimo, facciamo così.",
        "Guardo l'agenda e ti faccio sapere {day}.",
        "Ci sono, ci vediamo {day}.",
        "Volentieri, {time} è perfetto.",
        "Non ho ancora avuto tempo di guardarci con calma, ma lo farò presto.",
        "Parliamone con calma quando ci vediamo.",
        "Porto i miei appunti.",
        "Mi sembra un buon piano.",
    ],
    attribution: "Il giorno {date} {name} ha scritto:",
    attribution_anon: "Messaggio originale del {date}:",
    date_format: "%d/%m/%Y alle %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "lunedì",
            "martedì",
            "mercoledì",
            "giovedì",
            "venerdì",
            "domani",
            "dopodomani",
            "la settimana prossima",
        ],
        time: &[
            "in mattinata",
            "verso le dieci",
            "verso mezzogiorno",
            "dopo pranzo",
            "verso le tre",
            "nel tardo pomeriggio",
        ],
        place: &[
            "al bar all'angolo",
            "al forno vicino alla stazione",
            "al parco lungo il fiume",
            "al bistrot in piazza",
            "sulla terrazza all'ultimo piano",
            "al locale nuovo accanto all'ufficio",
            "alla sala da tè qui dietro",
            "al caffè del giardino",
        ],
        food: &[
            "la torta di mele",
            "la zuppa del giorno",
            "la crostata di albicocche",
            "la torta salata di verdure",
            "il tiramisù",
            "la focaccia",
            "il risotto ai funghi",
            "la ciambella al limone",
        ],
        project: &[
            "il report trimestrale",
            "il restyling del sito",
            "la guida di benvenuto",
            "la bozza del budget",
            "la presentazione al cliente",
            "la newsletter di primavera",
            "il trasloco dell'ufficio",
            "il calendario della formazione",
            "la scelta dei fornitori",
            "il manuale del team",
        ],
        activity: &[
            "siamo andati a fare un'escursione in montagna",
            "abbiamo finalmente riparato la vecchia bici",
            "abbiamo passato la giornata al lago",
            "abbiamo provato una nuova ricetta del pane",
            "siamo andati a trovare i parenti in campagna",
            "siamo stati a un piccolo concerto jazz",
            "abbiamo ridipinto la camera degli ospiti",
            "abbiamo fatto una lunga passeggiata al mare",
        ],
        item: &[
            "quel podcast sul sonno",
            "il documentario sulle api",
            "la nuova serie gialla",
            "la piccola libreria vicino al porto",
            "quel libro di ricette siciliane",
            "il sentiero lungo il fiume",
            "la nuova mostra in galleria",
            "l'audiolibro sulle Alpi",
        ],
    },
};
