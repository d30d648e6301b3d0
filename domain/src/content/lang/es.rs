//! Spanish (informal "tú", as between colleagues who know each other).

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "¿Un café {day}?",
            "Pausa para un café {day}",
            "¿Café {time}?",
            "¿Nos tomamos un café?",
        ],
        leads: &[
            "¿Te apetece tomar un café {day} {time}?",
            "¿Andas por aquí {day} {time}? Podríamos tomar un café rápido.",
            "Me vendrá bien un descanso {day} {time}, ¿vamos a por un café?",
        ],
        follows: &[
            "Sin prisa, dime qué te viene mejor.",
            "Si otro día te va mejor, no hay problema.",
            "Dicen que hay que probar {food} {place}.",
        ],
    },
    Topic {
        subjects: &[
            "¿Comemos {day}?",
            "Comida {day}",
            "¿Comemos juntos pronto?",
            "Plan para comer {day}",
        ],
        leads: &[
            "Unos cuantos vamos a comer juntos {day}, ¿te vienes?",
            "¿Te apetece que comamos juntos {day}?",
            "Por fin tengo algo de tiempo {day}, me encantaría comer contigo.",
        ],
        follows: &[
            "Me han recomendado {food} {place}.",
            "Podríamos quedar {time}, si te viene bien.",
            "Dime algo y reservo mesa.",
        ],
    },
    Topic {
        subjects: &[
            "Después de la reunión",
            "Notas sobre {project}",
            "Próximos pasos con {project}",
            "Seguimiento de la reunión",
        ],
        leads: &[
            "Gracias otra vez por la reunión sobre {project}.",
            "Esta mañana he repasado mis notas sobre {project}.",
            "Quería retomar lo que hablamos sobre {project}.",
        ],
        follows: &[
            "¿Podríamos buscar media hora {day} para acordar los siguientes pasos?",
            "Creo que vamos bien de tiempo, solo quedan algunos detalles.",
            "Avísame si se me ha escapado algo importante.",
        ],
    },
    Topic {
        subjects: &[
            "Una pregunta sobre {project}",
            "Pregunta rápida",
            "¿Cómo va {project}?",
            "Duda con {project}",
        ],
        leads: &[
            "¿Sabes quién se está encargando ahora de {project}?",
            "Tenía una pregunta rápida sobre {project}.",
            "¿Qué tal va todo con {project}?",
        ],
        follows: &[
            "Solo quiero asegurarme de que no hacemos el mismo trabajo dos veces.",
            "Si te resulta más fácil, lo hablamos {day}.",
            "No hace falta una respuesta larga, con un par de líneas basta.",
        ],
    },
    Topic {
        subjects: &[
            "¡Muchas gracias!",
            "Gracias por tu ayuda",
            "Un pequeño agradecimiento",
            "Gracias por ayudarme con {project}",
        ],
        leads: &[
            "Muchas gracias por tu ayuda con {project}.",
            "Gracias por dedicar tiempo a revisar {project} conmigo.",
            "Quería darte las gracias por tus comentarios sobre {project}.",
        ],
        follows: &[
            "Me ha servido muchísimo.",
            "Te debo un café, ¿quizás {day}?",
            "Te lo agradezco de verdad.",
        ],
    },
    Topic {
        subjects: &[
            "¿Qué tal el fin de semana?",
            "Novedades del fin de semana",
            "Vuelta del fin de semana",
            "Un fin de semana tranquilo",
        ],
        leads: &[
            "¿Qué tal tu fin de semana?",
            "Espero que hayas tenido un fin de semana tranquilo.",
            "Menudo fin de semana, el tiempo fue perfecto.",
        ],
        follows: &[
            "Nosotros {activity}, justo lo que necesitaba.",
            "El sábado {activity} y el domingo casi no hice nada.",
            "Por nuestra parte, {activity} y luego dormí de maravilla.",
        ],
    },
    Topic {
        subjects: &[
            "¿Conoces {item}?",
            "Una recomendación para ti",
            "Esto te puede gustar",
            "Una idea para el fin de semana",
        ],
        leads: &[
            "¿Conoces {item}?",
            "Descubrí {item} y enseguida pensé en ti.",
            "Una compañera me recomendó {item} y me encantó.",
        ],
        follows: &[
            "Creo que te gustaría.",
            "Si lo pruebas, cuéntame qué te parece.",
            "Podemos comentarlo mientras comemos {day}.",
        ],
    },
    Topic {
        subjects: &[
            "¿Una llamada {day}?",
            "Llamada corta {day}",
            "Buscar un momento para hablar",
            "¿Hablamos {day}?",
        ],
        leads: &[
            "¿Tienes un cuarto de hora {day} para una llamada corta?",
            "¿Podríamos hablar un momento por teléfono {day}?",
            "Estaría bien hablar unos minutos {day}.",
        ],
        follows: &[
            "Nada urgente, solo quiero saber cómo va todo.",
            "¿Te vendría bien {time}?",
            "Serán solo unos minutos, prometido.",
        ],
    },
    Topic {
        subjects: &[
            "Cuánto tiempo",
            "¿Cómo estás?",
            "¿Qué tal todo?",
            "¿Nos vemos pronto?",
        ],
        leads: &[
            "Hace tiempo que no hablamos.",
            "Me preguntaba qué tal te va últimamente.",
            "Me he dado cuenta de que hace siglos que no nos vemos.",
        ],
        follows: &[
            "¿Tienes un rato {day}? Podríamos vernos {place}.",
            "El fin de semana pasado {activity}, fue muy agradable.",
            "Cuéntame qué tal por ahí.",
        ],
    },
    Topic {
        subjects: &[
            "Pequeña reunión {day}",
            "¿Te apuntas {day}?",
            "¿Nos vemos {day}?",
            "Una pequeña celebración",
        ],
        leads: &[
            "Estamos organizando un pequeño encuentro {place} {day}.",
            "Unos cuantos nos vemos {place} {day} para celebrar el final del trimestre.",
            "Hemos pensado que un desayuno de equipo {place} {day} sería un buen cambio.",
        ],
        follows: &[
            "Dicen que allí hay que probar {food}.",
            "Sería genial que pudieras venir, aunque sea media hora.",
            "Empezaremos seguramente {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Novedades sobre {project}",
            "Buenas noticias sobre {project}",
            "Cómo vamos con {project}",
            "Una pequeña actualización",
        ],
        leads: &[
            "Solo una actualización rápida: {project} avanza bien.",
            "Buenas noticias: con {project} ya hemos terminado la primera fase.",
            "Esta semana hemos avanzado bastante con {project}.",
        ],
        follows: &[
            "Te cuento los detalles cuando nos veamos {day}.",
            "Quedan un par de cuestiones abiertas, pero nada grave.",
            "Gracias por tu paciencia mientras lo resolvíamos.",
        ],
    },
    Topic {
        subjects: &[
            "De vuelta de vacaciones",
            "De vuelta en la oficina",
            "Después del viaje",
            "Ya estoy de vuelta",
        ],
        leads: &[
            "Ya estoy de vuelta después de unos días fuera y me voy poniendo al día.",
            "Acabo de volver de un viaje corto y todavía estoy organizándolo todo.",
            "Vuelvo tras una pausa corta, con las pilas cargadas.",
        ],
        follows: &[
            "¿Hay algo que deba saber sobre {project}?",
            "Deberíamos comer pronto {place} y contarnos las novedades.",
            "Avísame si ha pasado algo mientras no estaba.",
        ],
    },
];

/// The Spanish bank.
pub(crate) const BANK: Bank = Bank {
    code: "es",
    greetings: &[
        "Hola, {to}:",
        "Hola {to},",
        "¡Hola, {to}!",
        "Buenos días, {to}:",
        "Buenas, {to}:",
    ],
    plain_greetings: &["Hola:", "Hola,", "Buenos días:", "¡Hola a todos!"],
    openers: &[
        "Espero que la semana te esté yendo bien.",
        "Espero que estés bien.",
        "Espero que hayas pasado un buen fin de semana.",
        "Me alegró verte el otro día.",
        "Espero que por tu lado las cosas estén más tranquilas.",
        "Espero que todo vaya bien por ahí.",
    ],
    topics: TOPICS,
    wishes: &[
        "¡Que tengas buena semana!",
        "Que tengas un buen día.",
        "Disfruta del resto del día.",
        "Hablamos pronto.",
        "¡Buen fin de semana!",
    ],
    signoffs: &[
        "Un saludo,",
        "Un abrazo,",
        "Saludos,",
        "Gracias y un saludo,",
        "Hasta pronto,",
        "Muchas gracias,",
    ],
    acks: &[
        "¡Gracias por tu mensaje!",
        "Qué bien saber de ti.",
        "Gracias por escribirme.",
        "Genial, gracias por avisarme.",
        "Gracias, suena muy bien.",
        "Me alegra mucho saber de ti.",
    ],
    answers: &[
        "A mí me va bien, hagámoslo así.",
        "Miro mi agenda y te digo algo {day}.",
        "Cuenta conmigo, nos vemos {day}.",
        "Me encantaría, {time} me viene perfecto.",
        "Todavía no he podido mirarlo con calma, pero lo haré pronto.",
        "Lo hablamos con calma cuando nos veamos.",
        "Llevaré mis notas.",
        "Me parece un buen plan.",
    ],
    attribution: "El {date}, {name} escribió:",
    attribution_anon: "Mensaje original del {date}:",
    date_format: "%d/%m/%Y a las %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "el lunes",
            "el martes",
            "el miércoles",
            "el jueves",
            "el viernes",
            "mañana",
            "pasado mañana",
            "la semana que viene",
        ],
        time: &[
            "por la mañana",
            "hacia las diez",
            "a mediodía",
            "después de comer",
            "hacia las cuatro",
            "a media tarde",
        ],
        place: &[
            "en la cafetería de la esquina",
            "en la panadería de la estación",
            "en el parque junto al río",
            "en el bistró de la plaza",
            "en la terraza de arriba",
            "en el sitio nuevo al lado de la oficina",
            "en la tetería de la calle de al lado",
            "en el café del jardín",
        ],
        food: &[
            "la tarta de manzana",
            "la sopa del día",
            "el bizcocho de limón",
            "la quiche de verduras",
            "la tarta de queso",
            "la tortilla de patatas",
            "el gazpacho",
            "el pan de plátano",
        ],
        project: &[
            "el informe trimestral",
            "la nueva web",
            "la guía de bienvenida",
            "el borrador del presupuesto",
            "la presentación al cliente",
            "el boletín de primavera",
            "la mudanza de oficina",
            "el plan de formación",
            "la selección de proveedores",
            "el manual del equipo",
        ],
        activity: &[
            "fuimos de excursión a la montaña",
            "por fin arreglamos la bici vieja",
            "pasamos el día en el lago",
            "probamos una receta nueva de pan",
            "visitamos a la familia en el pueblo",
            "fuimos a un pequeño concierto de jazz",
            "pintamos el cuarto de invitados",
            "dimos un paseo largo por la playa",
        ],
        item: &[
            "ese pódcast sobre el sueño",
            "el documental sobre las abejas",
            "la nueva serie policiaca",
            "la librería pequeña del puerto",
            "el libro de cocina de tapas verdes",
            "la ruta de senderismo junto al río",
            "la nueva exposición de la galería",
            "el audiolibro sobre los Alpes",
        ],
    },
};
