//! Portuguese (Brazilian, informal "você").

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Um café {day}?",
            "Pausa para o café {day}",
            "Café {time}?",
            "Vamos tomar um café?",
        ],
        leads: &[
            "Que tal tomar um café {day} {time}?",
            "Você vai estar por aqui {day} {time}? A gente podia tomar um café rápido.",
            "Vou precisar de uma pausa {day} {time}, vamos tomar um café?",
        ],
        follows: &[
            "Sem pressa, me diz o que fica melhor para você.",
            "Se outro dia for mais fácil, tudo bem também.",
            "Dizem que vale a pena provar {food} {place}.",
        ],
    },
    Topic {
        subjects: &[
            "Almoço {day}?",
            "Vamos almoçar {day}?",
            "Um almoço em breve?",
            "Plano para o almoço {day}",
        ],
        leads: &[
            "Alguns de nós vão almoçar juntos {day}, quer vir também?",
            "Vamos almoçar juntos {day}?",
            "Finalmente tenho um tempinho {day}, um almoço seria ótimo.",
        ],
        follows: &[
            "Me recomendaram {food} {place}.",
            "A gente podia se encontrar {time}, se for bom para você.",
            "Me avisa que eu reservo uma mesa.",
        ],
    },
    Topic {
        subjects: &[
            "Depois da nossa reunião",
            "Notas sobre {project}",
            "Próximos passos para {project}",
            "Retomando {project}",
        ],
        leads: &[
            "Valeu de novo pela reunião sobre {project}.",
            "Hoje de manhã revisei minhas anotações sobre {project}.",
            "Queria retomar o que conversamos sobre {project}.",
        ],
        follows: &[
            "Será que a gente consegue meia hora {day} para combinar os próximos passos?",
            "Acho que estamos dentro do prazo, faltam só alguns detalhes.",
            "Me avisa se eu esqueci alguma coisa importante.",
        ],
    },
    Topic {
        subjects: &[
            "Uma pergunta sobre {project}",
            "Pergunta rápida",
            "Como está {project}?",
            "Dúvida sobre {project}",
        ],
        leads: &[
            "Você sabe quem está cuidando de tudo com {project} agora?",
            "Fiquei com uma pergunta rápida sobre {project}.",
            "Como estão as coisas com {project}?",
        ],
        follows: &[
            "Só quero ter certeza de que ninguém está fazendo o mesmo trabalho duas vezes.",
            "Se for mais fácil, a gente conversa {day}.",
            "Não precisa de uma resposta longa, duas linhas bastam.",
        ],
    },
    Topic {
        subjects: &[
            "Valeu demais!",
            "Agradecendo a sua ajuda",
            "Um agradecimento rápido",
            "Valeu pela ajuda com {project}",
        ],
        leads: &[
            "Agradeço muito a sua ajuda com {project}.",
            "Valeu por ter tirado um tempo para revisar {project} comigo.",
            "Queria agradecer pelos seus comentários sobre {project}.",
        ],
        follows: &[
            "Fez toda a diferença.",
            "Fico te devendo um café, quem sabe {day}?",
            "Agradeço de verdade.",
        ],
    },
    Topic {
        subjects: &[
            "Como foi o fim de semana?",
            "Novidades do fim de semana",
            "Voltando do fim de semana",
            "Um fim de semana tranquilo",
        ],
        leads: &[
            "Como foi o seu fim de semana?",
            "Espero que você tenha tido um fim de semana tranquilo.",
            "Que fim de semana, o tempo estava perfeito.",
        ],
        follows: &[
            "Nós {activity}, era tudo de que eu precisava.",
            "No sábado nós {activity} e no domingo quase não fiz nada.",
            "Por aqui nós {activity} e depois dormi muito bem.",
        ],
    },
    Topic {
        subjects: &[
            "Você conhece {item}?",
            "Uma dica para você",
            "Acho que você vai gostar",
            "Uma ideia para o fim de semana",
        ],
        leads: &[
            "Você já conhece {item}?",
            "Descobri {item} e lembrei de você na hora.",
            "Uma colega me indicou {item} e eu adorei.",
        ],
        follows: &[
            "Acho que você ia gostar.",
            "Se experimentar, me conta o que achou.",
            "A gente pode conversar sobre isso no almoço {day}.",
        ],
    },
    Topic {
        subjects: &[
            "Uma ligação {day}?",
            "Ligação rápida {day}",
            "Achar um horário para conversar",
            "Vamos conversar {day}?",
        ],
        leads: &[
            "Você tem quinze minutos {day} para uma ligação rápida?",
            "A gente pode se falar rapidinho por telefone {day}?",
            "Seria bom conversar alguns minutos {day}.",
        ],
        follows: &[
            "Nada urgente, só quero saber como estão as coisas.",
            "Fica bom para você {time}?",
            "Vai ser rapidinho, prometo.",
        ],
    },
    Topic {
        subjects: &[
            "Quanto tempo!",
            "Como você está?",
            "Tudo bem por aí?",
            "Vamos nos ver em breve?",
        ],
        leads: &[
            "Faz tempo que a gente não conversa.",
            "Fiquei pensando em como você está ultimamente.",
            "Percebi que faz séculos que a gente não se vê.",
        ],
        follows: &[
            "Você tem um tempinho {day}? A gente podia se encontrar {place}.",
            "No fim de semana passado nós {activity}, foi muito bom.",
            "Me conta como estão as coisas por aí.",
        ],
    },
    Topic {
        subjects: &[
            "Encontro rápido {day}",
            "Vem com a gente {day}?",
            "Nos vemos {day}?",
            "Uma pequena comemoração",
        ],
        leads: &[
            "Estamos organizando um encontro rápido {place} {day}.",
            "Alguns de nós vão se reunir {place} {day} para comemorar o fim do trimestre.",
            "Pensamos que um café da manhã da equipe {place} {day} seria uma boa mudança.",
        ],
        follows: &[
            "Dizem que lá vale a pena provar {food}.",
            "Seria ótimo se você pudesse passar, nem que seja por meia hora.",
            "Devemos começar {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Novidades sobre {project}",
            "Boas notícias sobre {project}",
            "Como estamos com {project}",
            "Uma atualização rápida",
        ],
        leads: &[
            "Só uma atualização rápida: as coisas com {project} estão andando bem.",
            "Boas notícias: com {project} já terminamos a primeira etapa.",
            "Avançamos bastante com {project} esta semana.",
        ],
        follows: &[
            "Te conto os detalhes quando a gente se encontrar {day}.",
            "Ainda tem umas questões em aberto, mas nada grave.",
            "Valeu pela paciência enquanto a gente resolvia tudo.",
        ],
    },
    Topic {
        subjects: &[
            "De volta das férias",
            "De volta ao escritório",
            "Depois da viagem",
            "Estou de volta",
        ],
        leads: &[
            "Voltei depois de uns dias fora e estou me atualizando aos poucos.",
            "Acabei de voltar de uma viagem curta e ainda estou organizando tudo.",
            "Voltei de uma pausa curta, com energia renovada.",
        ],
        follows: &[
            "Tem alguma coisa que eu precise saber sobre {project}?",
            "A gente devia almoçar {place} em breve e trocar as novidades.",
            "Me avisa se aconteceu alguma coisa enquanto eu estava fora.",
        ],
    },
];

/// The Portuguese bank.
pub(crate) const BANK: Bank = Bank {
    code: "pt",
    greetings: &[
        "Oi, {to},",
        "Olá, {to},",
        "Oi {to}!",
        "Bom dia, {to},",
        "E aí, {to}?",
    ],
    plain_greetings: &["Oi,", "Olá,", "Bom dia,", "Olá a todos,"],
    openers: &[
        "Espero que a sua semana esteja indo bem.",
        "Espero que esteja tudo bem com você.",
        "Espero que você tenha tido um bom fim de semana.",
        "Foi muito bom te ver outro dia.",
        "Espero que as coisas estejam mais calmas por aí.",
        "Espero que a semana esteja sendo boa.",
    ],
    topics: TOPICS,
    wishes: &[
        "Boa semana!",
        "Tenha um ótimo dia.",
        "Aproveite o resto do dia.",
        "Falamos em breve.",
        "Bom fim de semana!",
    ],
    signoffs: &[
        "Abraços,",
        "Um abraço,",
        "Até mais,",
        "Até breve,",
        "Atenciosamente,",
        "Um abraço e até logo,",
    ],
    acks: &[
        "Valeu pela mensagem!",
        "Que bom ter notícias suas.",
        "Valeu por escrever.",
        "Ótimo, valeu por avisar.",
        "Valeu, parece ótimo.",
        "Fico feliz em ter notícias suas.",
    ],
    answers: &[
        "Para mim está ótimo, vamos fazer assim.",
        "Vou olhar minha agenda e te respondo {day}.",
        "Pode contar comigo, nos vemos {day}.",
        "Adoraria, {time} fica perfeito.",
        "Ainda não consegui olhar com calma, mas vou ver em breve.",
        "Vamos conversar com calma quando a gente se encontrar.",
        "Vou levar minhas anotações.",
        "Parece um bom plano.",
    ],
    attribution: "Em {date}, {name} escreveu:",
    attribution_anon: "Mensagem original de {date}:",
    date_format: "%d/%m/%Y, às %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "na segunda",
            "na terça",
            "na quarta",
            "na quinta",
            "na sexta",
            "amanhã",
            "depois de amanhã",
            "na semana que vem",
        ],
        time: &[
            "de manhã",
            "lá pelas dez",
            "na hora do almoço",
            "depois do almoço",
            "lá pelas três",
            "no fim da tarde",
        ],
        place: &[
            "no café da esquina",
            "na padaria perto da estação",
            "no parque perto do rio",
            "no bistrô da praça",
            "no terraço lá de cima",
            "no restaurante novo ao lado do escritório",
            "na casa de chá da rua de trás",
            "no café do jardim",
        ],
        food: &[
            "o bolo de cenoura",
            "a sopa do dia",
            "o pão de queijo",
            "a quiche de legumes",
            "a torta de limão",
            "o bolo de fubá",
            "a empada de frango",
            "o sanduíche natural",
        ],
        project: &[
            "o relatório trimestral",
            "a reformulação do site",
            "o guia de integração",
            "a proposta de orçamento",
            "a apresentação ao cliente",
            "a newsletter de primavera",
            "a mudança do escritório",
            "o cronograma de treinamentos",
            "a seleção de fornecedores",
            "o manual da equipe",
        ],
        activity: &[
            "fizemos uma trilha na serra",
            "finalmente consertamos a bicicleta velha",
            "passamos o dia no lago",
            "testamos uma receita nova de pão",
            "visitamos a família no interior",
            "fomos a um pequeno show de jazz",
            "pintamos o quarto de hóspedes",
            "fizemos uma longa caminhada na praia",
        ],
        item: &[
            "aquele podcast sobre sono",
            "o documentário sobre abelhas",
            "a nova série policial",
            "a livraria pequena perto do porto",
            "aquele livro de receitas mineiras",
            "a trilha ao longo do rio",
            "a nova exposição da galeria",
            "o audiolivro sobre os Alpes",
        ],
    },
};
