//! English.

use crate::content::bank::{Bank, Slots, Topic};

const TOPICS: &[Topic] = &[
    Topic {
        subjects: &[
            "Coffee {day}?",
            "Quick coffee {day}",
            "Coffee break {day}?",
            "Time for a coffee?",
        ],
        leads: &[
            "Would you like to grab a coffee {day} {time}?",
            "Are you around {day} {time} for a quick coffee?",
            "I could use a break {day}, so how about a coffee {time}?",
        ],
        follows: &[
            "No rush, just let me know what suits you.",
            "If another day is easier, that's fine too.",
            "I've heard good things about {food} {place}.",
        ],
    },
    Topic {
        subjects: &[
            "Lunch {day}?",
            "Lunch plans {day}",
            "Lunch together soon?",
            "A proper lunch {day}",
        ],
        leads: &[
            "A few of us are having lunch {place} {day}, would you like to join?",
            "Shall we have lunch together {day}?",
            "I finally have some time {day}, so lunch would be lovely.",
        ],
        follows: &[
            "Someone told me {food} is the thing to order.",
            "We could meet {time} if that works for you.",
            "Let me know and I'll book a table.",
        ],
    },
    Topic {
        subjects: &[
            "Following up on {project}",
            "Notes on {project}",
            "After our meeting",
            "Next steps for {project}",
        ],
        leads: &[
            "Thanks again for the meeting about {project}.",
            "I went through my notes on {project} this morning.",
            "I wanted to follow up on what we discussed about {project}.",
        ],
        follows: &[
            "Could we find half an hour {day} to agree on the next steps?",
            "I think we are mostly on track, just a few small points left.",
            "Let me know if I missed anything important.",
        ],
    },
    Topic {
        subjects: &[
            "Quick question about {project}",
            "A question on {project}",
            "Small question",
            "Checking in on {project}",
        ],
        leads: &[
            "Do you know who is looking after {project} at the moment?",
            "I had a quick question about {project}.",
            "How are things going with {project}?",
        ],
        follows: &[
            "I just want to make sure we are not doing the same work twice.",
            "Happy to talk it through {day} if that's easier.",
            "No need for a long answer, a few lines are plenty.",
        ],
    },
    Topic {
        subjects: &[
            "Thank you!",
            "Thanks for your help with {project}",
            "A quick thank you",
            "Thanks again for {project}",
        ],
        leads: &[
            "Thank you so much for your help with {project}.",
            "Thanks for taking the time to go through {project} with me.",
            "I just wanted to say thanks for your input on {project}.",
        ],
        follows: &[
            "It made a real difference.",
            "I owe you a coffee, maybe {day}?",
            "I really appreciate it.",
        ],
    },
    Topic {
        subjects: &[
            "How was your weekend?",
            "Weekend news",
            "Back from the weekend",
            "A slow weekend",
        ],
        leads: &[
            "How was your weekend?",
            "I hope you had a relaxing weekend.",
            "What a weekend, the weather was perfect.",
        ],
        follows: &[
            "We {activity}, which was just what I needed.",
            "On Saturday we {activity}, and on Sunday I did almost nothing.",
            "I {activity} and slept much better afterwards.",
        ],
    },
    Topic {
        subjects: &[
            "A tip: {item}",
            "A recommendation for you",
            "Recommendation: {item}",
            "Something for the weekend",
        ],
        leads: &[
            "A tip: {item}",
            "I keep thinking about {item} and thought of you.",
            "Someone at work told me about {item} and I really enjoyed it.",
        ],
        follows: &[
            "I think you would like it.",
            "Let me know what you think if you give it a try.",
            "We could talk about it over lunch {day}.",
        ],
    },
    Topic {
        subjects: &[
            "Call {day}?",
            "A short call {day}",
            "Finding a time to talk",
            "Catching up {day}",
        ],
        leads: &[
            "Do you have fifteen minutes for a call {day}?",
            "Could we have a short call {day}?",
            "It would be good to talk for a few minutes {day}.",
        ],
        follows: &[
            "No hurry, I just want to hear how things are going.",
            "Would {time} work for you?",
            "I'll keep it short, promise.",
        ],
    },
    Topic {
        subjects: &[
            "Long time no see",
            "How are you doing?",
            "Checking in",
            "Catching up soon?",
        ],
        leads: &[
            "It has been a while since we last talked.",
            "I was wondering how you are doing these days.",
            "I realised we haven't caught up in ages.",
        ],
        follows: &[
            "Are you around {day}? It would be nice to meet {place}.",
            "Last weekend we {activity}, which was lovely.",
            "Let me know how things are on your side.",
        ],
    },
    Topic {
        subjects: &[
            "Small get-together {day}",
            "See you {day}?",
            "Join us {day}?",
            "A little celebration",
        ],
        leads: &[
            "We are planning a small get-together {place} {day}.",
            "A few of us are meeting {place} {day} to celebrate the end of the quarter.",
            "We thought a team breakfast {place} {day} would be a nice change.",
        ],
        follows: &[
            "Apparently {food} there is excellent.",
            "It would be great if you could make it, even for half an hour.",
            "We will probably start {time}.",
        ],
    },
    Topic {
        subjects: &[
            "Update on {project}",
            "Good news on {project}",
            "Where we are with {project}",
            "A short update",
        ],
        leads: &[
            "Just a short update: {project} is moving along nicely.",
            "Good news, the first part of {project} is done.",
            "We made some progress on {project} this week.",
        ],
        follows: &[
            "I'll share the details when we meet {day}.",
            "There are still a couple of open questions, but nothing serious.",
            "Thanks for your patience while we sorted it out.",
        ],
    },
    Topic {
        subjects: &[
            "Back from holiday",
            "Back at my desk",
            "After my trip",
            "Catching up after a trip",
        ],
        leads: &[
            "I'm back from a few days away and slowly catching up.",
            "I just got back from a short trip and I'm sorting through everything.",
            "I'm back after a short break, rested and ready.",
        ],
        follows: &[
            "Is there anything I should know about {project}?",
            "We should have lunch {place} soon and swap stories.",
            "Let me know if anything came up while I was away.",
        ],
    },
];

/// The English bank.
pub(crate) const BANK: Bank = Bank {
    code: "en",
    greetings: &[
        "Hi {to},",
        "Hello {to},",
        "Hey {to},",
        "Good morning {to},",
        "Hi {to}!",
    ],
    plain_greetings: &["Hi,", "Hello,", "Hi there,", "Good morning,"],
    openers: &[
        "Hope your week is going well.",
        "I hope you're doing well.",
        "Hope you had a good weekend.",
        "It was good to see you the other day.",
        "Hope things are calm on your side.",
        "I hope the week has been kind to you.",
    ],
    topics: TOPICS,
    wishes: &[
        "Have a good week!",
        "Have a nice day.",
        "Enjoy the rest of your day.",
        "Talk soon.",
        "Have a lovely weekend.",
    ],
    signoffs: &[
        "Best,",
        "Cheers,",
        "Thanks,",
        "Best wishes,",
        "Kind regards,",
        "All the best,",
    ],
    acks: &[
        "Thanks for your message!",
        "Good to hear from you.",
        "Thanks for getting in touch.",
        "Great, thanks for letting me know.",
        "Thanks, that sounds good.",
        "Lovely to hear from you.",
    ],
    answers: &[
        "That works for me, let's do it.",
        "I'll check my calendar and get back to you {day}.",
        "Count me in, see you {day}.",
        "I'd love to, {time} is perfect.",
        "I haven't had time to look at it properly yet, but I will soon.",
        "Let's talk about it properly when we meet.",
        "I'll bring my notes along.",
        "Sounds like a plan.",
    ],
    attribution: "On {date}, {name} wrote:",
    attribution_anon: "Original message, {date}:",
    date_format: "%a, %-d %b %Y at %H:%M",
    space: " ",
    slots: Slots {
        day: &[
            "on Monday",
            "on Tuesday",
            "on Wednesday",
            "on Thursday",
            "on Friday",
            "tomorrow",
            "next Monday",
            "early next week",
        ],
        time: &[
            "in the morning",
            "around ten",
            "around noon",
            "after lunch",
            "around three",
            "late in the afternoon",
        ],
        place: &[
            "at the café on the corner",
            "at the bakery near the station",
            "in the park by the river",
            "at the new place near the office",
            "on the terrace upstairs",
            "at the deli across the street",
            "at the little bistro on the square",
            "in the garden café",
        ],
        food: &[
            "the soup of the day",
            "the lemon cake",
            "the cinnamon buns",
            "the tomato soup",
            "the cheese scones",
            "the carrot cake",
            "the vegetable quiche",
            "the apple pie",
        ],
        project: &[
            "the quarterly report",
            "the website refresh",
            "the onboarding guide",
            "the budget draft",
            "the client presentation",
            "the spring newsletter",
            "the office move",
            "the training schedule",
            "the supplier review",
            "the team handbook",
        ],
        activity: &[
            "went hiking in the hills",
            "finally fixed the old bike",
            "spent the whole day at the lake",
            "tried a new bread recipe",
            "visited family in the countryside",
            "went to a small jazz concert",
            "painted the spare room",
            "took a long walk by the sea",
        ],
        item: &[
            "that podcast about sleep",
            "the documentary about bees",
            "the new crime series on TV",
            "that little bookshop by the harbour",
            "the cookbook with the green cover",
            "the walking trail along the river",
            "the history podcast from the museum",
            "the new exhibition at the gallery",
        ],
    },
};
