"""General (non-code) questions and requests for the ambiguity model's training rows.

Each frame is filled either with a named subject (a proper name, a quoted phrase, a quantity with
its unit, a fully qualified description) or with one a reader cannot resolve (a pronoun, "the
<thing>" nothing introduces, a missing time or place, a subjective "best"). Both labels share the
frames, so the frame's wording carries no signal; only what fills it does. Names and wording are
generic and no evaluation row is copied.
"""

from __future__ import annotations

import random

# (frame, named fillers, unresolved fillers); "{}" is the subject slot.
_FRAMES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Who {} ?",
        (
            "designed the Sydney Opera House",
            "wrote War and Peace",
            "composed The Four Seasons",
            "founded the Red Cross",
            "invented the Fahrenheit scale",
            "sculpted the statue of David in Florence",
            "directed Casablanca",
            "discovered the planet Uranus",
        ),
        (
            "designed it in the first place",
            "wrote that book about the war",
            "composed the music for the opening scene",
            "founded the company and when",
            "invented this kind of machine",
            "sculpted the statue in the main square",
            "directed the film we watched",
            "won the final of the tournament",
        ),
    ),
    (
        "When was {} born?",
        ("Frida Kahlo", "Isaac Newton", "Ludwig van Beethoven", "Queen Victoria", "Nelson Mandela"),
        (
            "he",
            "the founder of the band",
            "the lead singer",
            "her older brother",
            "the first president",
        ),
    ),
    (
        "What is the {}?",
        (
            "population of Canada",
            "capital of Kenya",
            "area of Greenland in square kilometres",
            "official language of Argentina",
            "currency of Switzerland",
            "highest mountain in the Alps",
            "atomic number of oxygen",
            "melting point of iron in Celsius",
        ),
        (
            "population of the city",
            "capital of the country",
            "area of the park in square kilometres",
            "official language there",
            "currency used in that country",
            "highest mountain in the region",
            "opening time of the museum",
            "current price of a ticket",
        ),
    ),
    (
        "How {}?",
        (
            "tall is the Statue of Liberty",
            "long is the Nile",
            "deep is Lake Baikal",
            "old is the Parthenon",
            "far is the Moon from Earth",
            "many legs does a spider have",
        ),
        (
            "tall is the building next to the station",
            "long is the river that runs through town",
            "deep is the lake",
            "old is he now",
            "far is it from here by car",
            "many of them are left",
        ),
    ),
    (
        "Which {}?",
        (
            "club did Johan Cruyff play for in 1974",
            "country won the 2010 Tour de France",
            "album did Nirvana release in 1991",
            "city hosted Expo 2015",
        ),
        (
            "club did he play for in his last season",
            "country won the tournament that year",
            "album did they release first",
            "city is the best to visit in the summer",
        ),
    ),
    (
        "Tell me about {}.",
        (
            "the Battle of Hastings",
            "the life of Ada Lovelace",
            "the history of the Panama Canal",
            "the Apollo 11 mission",
        ),
        (
            "the movie from last night",
            "him and his early career",
            "the event",
            "the best option for us",
        ),
    ),
    (
        "Summarize {}.",
        (
            "the plot of Macbeth in three sentences",
            "the causes of the Great Depression in one paragraph",
            "Orwell's Animal Farm in 50 words",
            "the main events of the American Civil War",
        ),
        (
            "the article in three sentences",
            "the meeting for the team",
            "it in one paragraph",
            "the chapter",
        ),
    ),
    (
        "Translate {}.",
        (
            "'see you tomorrow' into Portuguese",
            "the German word 'Fernweh' into English",
            "'where is the museum' into Dutch",
            "'happy birthday' into Japanese",
        ),
        ("this into the other language", "the sign by the door", "it for my friend", "that for me"),
    ),
    (
        "Convert {}.",
        (
            "12 inches to centimetres",
            "30 degrees Celsius to Fahrenheit",
            "250 grams to ounces",
            "90 minutes to hours",
        ),
        (
            "the amount to euros",
            "it to metric",
            "the temperature on the label",
            "these to the right units",
        ),
    ),
    (
        "Book {}.",
        (
            "a table for four at Luigi's in Naples at 8 pm on Saturday",
            "a single room at the Hilton in Oslo from May 3 to May 5",
            "a taxi to Heathrow Airport for 6 am tomorrow",
        ),
        (
            "a table for dinner at the usual place",
            "a room for the trip next month",
            "a taxi for later",
        ),
    ),
    (
        "Explain {}.",
        (
            "how the human heart pumps blood",
            "what causes tides on Earth",
            "the difference between a virus and a bacterium",
            "how a rainbow forms after rain",
        ),
        (
            "the theory from the lecture",
            "what happened there",
            "it to me like I am new",
            "the best approach",
        ),
    ),
    (
        "Recommend {}.",
        (
            "three novels by Jane Austen",
            "a vegetarian lasagne recipe for 6 people",
            "two museums to visit in Madrid",
        ),
        (
            "a good book for the holiday",
            "the best restaurant around here",
            "something nice to watch",
        ),
    ),
    (
        "Where {}?",
        (
            "is the Louvre located",
            "was Pablo Picasso born",
            "did the Wright brothers first fly",
            "is Mount Kilimanjaro",
        ),
        (
            "is the nearest pharmacy from here",
            "did she grow up",
            "was it filmed",
            "is the best beach for children",
        ),
    ),
    (
        "How much {}?",
        (
            "is 20% of 350",
            "does a 2 kg bag of rice weigh in pounds",
            "water should an adult drink per day according to the NHS",
        ),
        ("does it cost in total", "is the ticket for the show", "do they charge per night"),
    ),
    (
        "Write {}.",
        (
            "a sonnet about the Atlantic Ocean",
            "a thank-you note to Dr. Patel for the May 3 appointment",
            "a two-line rhyme about a dog called Rex",
        ),
        ("a poem for her", "a letter to the landlord about the problem", "a speech for the event"),
    ),
)


def _pick(r: random.Random, ambiguous: bool) -> str:
    frame, named, unresolved = r.choice(_FRAMES)
    filler = r.choice(unresolved if ambiguous else named)
    return frame.replace(" ?", "?").format(filler).replace(" ?", "?")


def general_clear(r: random.Random) -> str:
    return _pick(r, ambiguous=False)


def general_vague(r: random.Random) -> str:
    return _pick(r, ambiguous=True)
