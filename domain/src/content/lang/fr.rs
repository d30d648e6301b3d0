//! French (informal "tu", as between colleagues who know each other).

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Un café {day} ?",
            "Pause café {day}",
            "Petit café {time} ?",
            "On prend un café ?",
        ],
        leads: &[
            "Ça te dirait de prendre un café {day} {time} ?",
            "Tu es dans le coin {day} {time} pour un petit café ?",
            "J'aurais bien besoin d'une pause {day} {time}, on va prendre un café ?",
        ],
        follows: &[
            "Rien ne presse, dis-moi simplement ce qui t'arrange.",
            "Si un autre jour te va mieux, pas de souci.",
            "Il paraît qu'il faut goûter {food} {place}.",
        ],
    },
    Topic {
        subjects: &[
            "Déjeuner {day} ?",
            "On déjeune ensemble {day} ?",
            "Un déjeuner bientôt ?",
            "Pause déjeuner {day}",
        ],
        leads: &[
            "On est quelques-uns à déjeuner ensemble {day}, tu veux te joindre à nous ?",
            "Et si on déjeunait ensemble {day} ?",
            "J'ai enfin un peu de temps {day}, un déjeuner me ferait très plaisir.",
        ],
        follows: &[
            "On m'a conseillé {food} {place}.",
            "On pourrait se retrouver {time}, si ça te va.",
            "Dis-moi et je réserve une table.",
        ],
    },
    Topic {
        subjects: &[
            "Suite à notre réunion",
            "Notes sur {project}",
            "Prochaines étapes pour {project}",
            "Retour sur {project}",
        ],
        leads: &[
            "Merci encore pour la réunion sur {project}.",
            "J'ai relu ce matin mes notes sur {project}.",
            "Je voulais revenir sur ce qu'on s'est dit concernant {project}.",
        ],
        follows: &[
            "Est-ce qu'on pourrait trouver une demi-heure {day} pour fixer la suite ?",
            "Je crois qu'on est dans les temps, il reste juste quelques détails.",
            "Dis-moi si j'ai oublié quelque chose d'important.",
        ],
    },
    Topic {
        subjects: &[
            "Petite question sur {project}",
            "Question rapide",
            "Où en est {project} ?",
            "Une question concernant {project}",
        ],
        leads: &[
            "Tu sais qui s'occupe de la suite pour {project} en ce moment ?",
            "J'ai une petite question concernant {project}.",
            "Comment ça avance avec {project} ?",
        ],
        follows: &[
            "Je veux juste éviter qu'on fasse le même travail deux fois.",
            "On peut aussi en parler {day} si c'est plus simple.",
            "Pas besoin d'une longue réponse, quelques lignes suffisent.",
        ],
    },
    Topic {
        subjects: &[
            "Merci beaucoup !",
            "Merci pour ton aide",
            "Un petit merci",
            "Un grand merci pour {project}",
        ],
        leads: &[
            "Merci beaucoup pour ton aide sur {project}.",
            "Merci d'avoir pris le temps de regarder {project} avec moi.",
            "Je voulais te remercier pour tes remarques sur {project}.",
        ],
        follows: &[
            "Ça m'a été d'une grande aide.",
            "Je te dois un café, peut-être {day} ?",
            "C'est vraiment apprécié.",
        ],
    },
    Topic {
        subjects: &[
            "Ton week-end ?",
            "Des nouvelles du week-end",
            "Retour de week-end",
            "Un week-end tranquille",
        ],
        leads: &[
            "Comment s'est passé ton week-end ?",
            "J'espère que tu as passé un bon week-end.",
            "Quel week-end, le temps était parfait.",
        ],
        follows: &[
            "De notre côté, {activity}, exactement ce qu'il me fallait.",
            "Samedi, {activity}, et dimanche je n'ai presque rien fait.",
            "Chez nous, {activity}, ça fait du bien.",
        ],
    },
    Topic {
        subjects: &[
            "Tu connais {item} ?",
            "Une recommandation pour toi",
            "Ça pourrait te plaire",
            "Une idée pour le week-end",
        ],
        leads: &[
            "Est-ce que tu connais {item} ?",
            "J'ai découvert {item} et j'ai tout de suite pensé à toi.",
            "Une collègue m'a recommandé {item} et j'ai beaucoup aimé.",
        ],
        follows: &[
            "Je pense que ça te plairait.",
            "Dis-moi ce que tu en penses si tu essaies.",
            "On pourra en parler en déjeunant {day}.",
        ],
    },
    Topic {
        subjects: &[
            "Un appel {day} ?",
            "Petit appel {day}",
            "Trouver un moment pour parler",
            "On s'appelle {day} ?",
        ],
        leads: &[
            "Tu aurais un quart d'heure {day} pour un petit appel ?",
            "Est-ce qu'on pourrait s'appeler rapidement {day} ?",
            "Ce serait bien qu'on se parle quelques minutes {day}.",
        ],
        follows: &[
            "Rien d'urgent, je veux juste savoir comment ça se passe.",
            "Est-ce que {time} te conviendrait ?",
            "Ça ne prendra que quelques minutes, promis.",
        ],
    },
    Topic {
        subjects: &[
            "Ça fait longtemps",
            "Comment vas-tu ?",
            "Des nouvelles ?",
            "On se voit bientôt ?",
        ],
        leads: &[
            "Ça fait un moment qu'on ne s'est pas parlé.",
            "Je me demandais comment tu allais ces temps-ci.",
            "Je me suis rendu compte qu'on ne s'était pas vus depuis des lustres.",
        ],
        follows: &[
            "Tu es dispo {day} ? On pourrait se retrouver {place}.",
            "Le week-end dernier, {activity}, c'était très agréable.",
            "Raconte-moi comment ça va de ton côté.",
        ],
    },
    Topic {
        subjects: &[
            "Petit pot {day}",
            "Tu te joins à nous {day} ?",
            "On se retrouve {day} ?",
            "Une petite fête",
        ],
        leads: &[
            "On organise un petit pot {place} {day}.",
            "On se retrouve à quelques-uns {place} {day} pour fêter la fin du trimestre.",
            "On s'est dit qu'un petit-déjeuner d'équipe {place} {day} changerait un peu.",
        ],
        follows: &[
            "Il paraît que {food} y est une merveille.",
            "Ce serait super si tu pouvais passer, même une demi-heure.",
            "On commencera sans doute {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Point sur {project}",
            "Bonnes nouvelles pour {project}",
            "Avancement : {project}",
            "Un petit point",
        ],
        leads: &[
            "Juste un petit point : {project} avance bien.",
            "Bonne nouvelle, la première partie pour {project} est terminée.",
            "On a bien progressé sur {project} cette semaine.",
        ],
        follows: &[
            "Je te raconterai les détails quand on se verra {day}.",
            "Il reste quelques questions ouvertes, mais rien de grave.",
            "Merci pour ta patience pendant qu'on réglait tout ça.",
        ],
    },
    Topic {
        subjects: &[
            "De retour de vacances",
            "De retour au bureau",
            "Après mon voyage",
            "Me revoilà",
        ],
        leads: &[
            "Je rentre de quelques jours d'absence et je rattrape doucement mon retard.",
            "Je reviens d'un petit voyage et je suis en train de tout trier.",
            "Me revoilà après une courte pause, avec plein d'énergie.",
        ],
        follows: &[
            "Y a-t-il quelque chose à savoir sur {project} ?",
            "On devrait déjeuner bientôt {place} pour se raconter tout ça.",
            "Dis-moi s'il s'est passé quelque chose pendant mon absence.",
        ],
    },
];

/// The French bank.
pub(crate) const BANK: Bank = Bank {
    code: "fr",
    greetings: &[
        "Bonjour {to},",
        "Salut {to},",
        "Coucou {to},",
        "Hello {to},",
        "Bonjour {to} !",
    ],
    plain_greetings: &["Bonjour,", "Salut,", "Bonjour à tous,", "Hello,"],
    openers: &[
        "J'espère que ta semaine se passe bien.",
        "J'espère que tu vas bien.",
        "J'espère que tu as passé un bon week-end.",
        "C'était sympa de te voir l'autre jour.",
        "J'espère que c'est un peu plus calme de ton côté.",
        "J'espère que tout va bien pour toi.",
    ],
    topics: TOPICS,
    wishes: &[
        "Bonne semaine !",
        "Bonne journée.",
        "Bonne fin de journée.",
        "Profite bien de ta journée.",
        "Bon week-end !",
    ],
    signoffs: &[
        "Bien à toi,",
        "À bientôt,",
        "Merci et à bientôt,",
        "Amitiés,",
        "Cordialement,",
        "À plus,",
    ],
    acks: &[
        "Merci pour ton message !",
        "Ça fait plaisir d'avoir de tes nouvelles.",
        "Merci de m'avoir écrit.",
        "Super, merci de me tenir au courant.",
        "Merci, ça me paraît très bien.",
        "Toujours un plaisir de te lire.",
    ],
    answers: &[
        "Ça me va très bien, faisons comme ça.",
        "Je regarde mon agenda et je te redis ça {day}.",
        "Je serai là, à {day} !",
        "Avec plaisir, {time}, c'est parfait.",
        "Je n'ai pas encore eu le temps de regarder ça de près, mais je m'y mets bientôt.",
        "Parlons-en tranquillement quand on se verra.",
        "J'apporterai mes notes.",
        "Ça me semble être un bon plan.",
    ],
    attribution: "Le {date}, {name} a écrit :",
    attribution_anon: "Message d'origine du {date} :",
    date_format: "%d/%m/%Y à %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "lundi",
            "mardi",
            "mercredi",
            "jeudi",
            "vendredi",
            "demain",
            "après-demain",
            "la semaine prochaine",
        ],
        time: &[
            "dans la matinée",
            "vers dix heures",
            "vers midi",
            "après le déjeuner",
            "vers quinze heures",
            "en fin d'après-midi",
        ],
        place: &[
            "au café du coin",
            "à la boulangerie près de la gare",
            "au parc au bord de la rivière",
            "au petit bistrot de la place",
            "sur la terrasse du dernier étage",
            "au nouveau restaurant à côté du bureau",
            "au salon de thé de la rue voisine",
            "au café du jardin",
        ],
        food: &[
            "la tarte aux pommes",
            "la soupe du jour",
            "le gâteau au citron",
            "la quiche aux légumes",
            "le cheesecake",
            "la tarte aux prunes",
            "le croque-monsieur",
            "la salade de lentilles",
        ],
        project: &[
            "le rapport trimestriel",
            "la refonte du site",
            "le guide d'accueil",
            "le projet de budget",
            "la présentation client",
            "la newsletter de printemps",
            "le déménagement du bureau",
            "le planning des formations",
            "le choix des fournisseurs",
            "le manuel de l'équipe",
        ],
        activity: &[
            "on a fait une randonnée en montagne",
            "on a enfin réparé le vieux vélo",
            "on a passé la journée au lac",
            "on a testé une nouvelle recette de pain",
            "on est allés voir la famille à la campagne",
            "on est allés à un petit concert de jazz",
            "on a repeint la chambre d'amis",
            "on s'est longuement promenés au bord de la mer",
        ],
        item: &[
            "ce podcast sur le sommeil",
            "le documentaire sur les abeilles",
            "la nouvelle série policière",
            "la petite librairie près du port",
            "ce livre de recettes italiennes",
            "le sentier au bord du lac",
            "la nouvelle expo à la galerie",
            "le livre audio sur les Alpes",
        ],
    },
};
