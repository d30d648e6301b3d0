//! Croatian (informal "ti"; the writer's own past tense is plural, so it fits anyone).

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &["Kava {day}?", "Brza kava {time}?", "Pauza za kavu {day}"],
        leads: &[
            "Imaš li volje za kavu {day} {time}?",
            "Hoćeš li biti u blizini {day} {time}? Mogli bismo na brzu kavu.",
        ],
        follows: &[
            "Ništa ne žuri, samo javi što ti odgovara.",
            "Kažu da se {place} isplati probati {food}.",
            "Ako ti više odgovara neki drugi dan, nema problema.",
        ],
    },
    Topic {
        subjects: &[
            "Ručak {day}?",
            "Zajednički ručak {day}",
            "Idemo uskoro na ručak?",
        ],
        leads: &[
            "Idemo {day} zajedno na ručak?",
            "Imam {day} napokon malo vremena, zajednički ručak bi bio super.",
        ],
        follows: &[
            "Kolegica preporučuje da {place} probamo {food}.",
            "Možemo se naći {time}, ako ti odgovara.",
            "Javi pa rezerviram stol.",
        ],
    },
    Topic {
        subjects: &[
            "Nakon našeg sastanka",
            "Bilješke glede {project}",
            "Sljedeći koraci glede {project}",
        ],
        leads: &[
            "Još jednom hvala na sastanku glede {project}.",
            "Jutros smo još jednom prošli bilješke glede {project}.",
        ],
        follows: &[
            "Možemo li {day} naći pola sata da se dogovorimo o sljedećim koracima?",
            "Mislim da smo u planu, ostalo je samo nekoliko sitnica.",
            "Javi ako mi je promaklo nešto važno.",
        ],
    },
    Topic {
        subjects: &[
            "Kratko pitanje glede {project}",
            "Malo pitanje",
            "Ima li novosti glede {project}?",
        ],
        leads: &[
            "Znaš li tko se sada brine o stvarima glede {project}?",
            "Imam kratko pitanje glede {project}.",
        ],
        follows: &[
            "Samo želim provjeriti da ne radimo isti posao dvaput.",
            "Možemo o tome razgovarati i {day}, ako je lakše.",
        ],
    },
    Topic {
        subjects: &[
            "Veliko hvala!",
            "Hvala na pomoći",
            "Hvala na pomoći glede {project}",
        ],
        leads: &[
            "Veliko hvala na pomoći glede {project}.",
            "Hvala na tvom vremenu i pomoći oko pregleda.",
        ],
        follows: &["Stvarno je puno pomoglo.", "Dugujem ti kavu, možda {day}?"],
    },
    Topic {
        subjects: &["Kakav je bio vikend?", "Novosti s vikenda", "Miran vikend"],
        leads: &[
            "Kakav ti je bio vikend?",
            "Nadam se da je vikend bio miran i ugodan.",
        ],
        follows: &[
            "Vikend je bio super, {activity} i baš je to trebalo.",
            "Kod nas je bilo lijepo: {activity}, a poslije se odlično spavalo.",
        ],
    },
    Topic {
        subjects: &["Znaš li za {item}?", "Preporuka za tebe", "Nešto za vikend"],
        leads: &[
            "Znaš li za {item}?",
            "Kolegica mi je preporučila {item} i stvarno je odlično.",
        ],
        follows: &[
            "Mislim da bi ti se svidjelo.",
            "Javi što misliš.",
            "Možemo o tome popričati {day} uz ručak.",
        ],
    },
    Topic {
        subjects: &[
            "Kratki poziv {day}?",
            "Čujemo se {day}?",
            "Trenutak za razgovor",
        ],
        leads: &[
            "Imaš li {day} četvrt sata za kratki poziv?",
            "Možemo li se {day} nakratko čuti telefonom?",
        ],
        follows: &[
            "Ništa hitno, samo me zanima kako ide.",
            "Bi li ti odgovaralo {time}?",
            "Trajat će samo nekoliko minuta, obećavam.",
        ],
    },
    Topic {
        subjects: &["Dugo se nismo čuli", "Kako si?", "Vidimo li se uskoro?"],
        leads: &[
            "Od našeg zadnjeg razgovora prošlo je već neko vrijeme.",
            "Pitam se kako si u zadnje vrijeme.",
        ],
        follows: &[
            "Imaš li vremena {day}? Mogli bismo se naći {place}.",
            "Pričaj, kako si.",
        ],
    },
    Topic {
        subjects: &[
            "Malo druženje {day}",
            "Pridružuješ nam se {day}?",
            "Malo slavlje",
        ],
        leads: &[
            "Organiziramo malo druženje {place} {day}.",
            "Nekoliko nas se nalazi {day} {place} da proslavimo kraj kvartala.",
        ],
        follows: &[
            "Kažu da se tamo isplati probati {food}.",
            "Bilo bi lijepo vidjeti te tamo, barem na pola sata.",
            "Počinjemo vjerojatno {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Novosti glede {project}",
            "Dobre vijesti glede {project}",
            "Kratko ažuriranje",
        ],
        leads: &[
            "Kratko ažuriranje glede {project}: sve ide dobro.",
            "Dobre vijesti glede {project}: ovaj tjedan smo se lijepo pomaknuli naprijed.",
        ],
        follows: &[
            "Detalje ću ti ispričati kad se vidimo {day}.",
            "Ostalo je još nekoliko otvorenih pitanja, ali ništa ozbiljno.",
        ],
    },
];

/// The Croatian bank.
pub(crate) const BANK: Bank = Bank {
    code: "hr",
    greetings: &[
        "Bok {to},",
        "Pozdrav {to},",
        "Dobro jutro, {to},",
        "Bok {to}!",
    ],
    plain_greetings: &["Bok,", "Pozdrav,", "Dobro jutro,", "Pozdrav svima,"],
    openers: &[
        "Nadam se da ti tjedan dobro prolazi.",
        "Nadam se da si dobro.",
        "Nadam se da je vikend bio ugodan.",
        "Bilo je lijepo vidjeti te neki dan.",
        "Nadam se da je kod tebe sada malo mirnije.",
    ],
    topics: TOPICS,
    wishes: &[
        "Lijep tjedan!",
        "Ugodan dan.",
        "Čujemo se uskoro.",
        "Lijep vikend!",
    ],
    signoffs: &[
        "Lijep pozdrav,",
        "Pozdrav,",
        "Hvala i pozdrav,",
        "Sve najbolje,",
        "Srdačno,",
    ],
    acks: &[
        "Hvala na poruci!",
        "Lijepo te čuti.",
        "Super, hvala na informaciji.",
        "Hvala, zvuči dobro.",
    ],
    answers: &[
        "Meni odgovara, tako ćemo.",
        "Pogledat ću kalendar i javiti se {day}.",
        "Dogovoreno, vidimo se {day}.",
        "S veseljem, {time} mi odlično odgovara.",
        "Zasad nije bilo vremena za to, ali dolazi na red uskoro.",
        "Razgovarajmo o tome na miru kad se vidimo.",
    ],
    attribution: "{date}, {name} je napisao/la:",
    attribution_anon: "Izvorna poruka od {date}:",
    date_format: "%-d. %-m. %Y. u %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "u ponedjeljak",
            "u utorak",
            "u srijedu",
            "u četvrtak",
            "u petak",
            "sutra",
            "prekosutra",
            "idući tjedan",
        ],
        time: &[
            "prijepodne",
            "oko deset",
            "oko podne",
            "nakon ručka",
            "oko tri",
            "kasno poslijepodne",
        ],
        place: &[
            "u kafiću na uglu",
            "u pekarnici kod kolodvora",
            "u parku uz rijeku",
            "u malom bistrou na trgu",
            "na krovnoj terasi",
            "u novom lokalu pokraj ureda",
            "u kafiću kod muzeja",
        ],
        food: &[
            "pitu od jabuka",
            "juhu dana",
            "kolač s limunom",
            "pitu od povrća",
            "štrukle",
            "rolice s cimetom",
            "tortu od mrkve",
        ],
        project: &[
            "tromjesečnog izvještaja",
            "nove web stranice",
            "priručnika za nove kolege",
            "nacrta proračuna",
            "prezentacije za klijenta",
            "proljetnog newslettera",
            "selidbe ureda",
            "plana edukacija",
            "timskog priručnika",
        ],
        activity: &[
            "bili smo na planinarenju",
            "napokon smo popravili stari bicikl",
            "cijeli smo dan proveli na jezeru",
            "isprobali smo novi recept za kruh",
            "posjetili smo obitelj na selu",
            "bili smo na malom jazz koncertu",
            "oličili smo sobu za goste",
            "otišli smo u dugu šetnju uz more",
        ],
        item: &[
            "onaj podcast o spavanju",
            "dokumentarac o pčelama",
            "novu kriminalističku seriju",
            "malu knjižaru kod luke",
            "stazu uz rijeku",
            "novu izložbu u muzeju",
            "audioknjigu o Alpama",
        ],
    },
};
