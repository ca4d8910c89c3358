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
            "designed it",
            "wrote that book",
            "composed the music",
            "founded the company",
            "invented this",
            "sculpted the statue",
            "directed the film",
            "won the final",
        ),
    ),
    (
        "When was {} born?",
        ("Frida Kahlo", "Isaac Newton", "Ludwig van Beethoven", "Queen Victoria", "Nelson Mandela"),
        ("he", "she", "the founder", "the singer", "her brother"),
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
            "population",
            "capital",
            "area",
            "official language",
            "currency there",
            "highest mountain",
            "opening time",
            "current price",
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
            "tall is the building",
            "long is the river",
            "deep is the lake",
            "old is he",
            "far is it from here",
            "many are left",
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
            "club did he play for",
            "country won the tournament",
            "album did they release",
            "city is the best to visit",
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
        ("the movie", "him", "the event", "the best option"),
    ),
    (
        "Summarize {}.",
        (
            "the plot of Macbeth in three sentences",
            "the causes of the Great Depression in one paragraph",
            "Orwell's Animal Farm in 50 words",
            "the main events of the American Civil War",
        ),
        ("the article", "the meeting", "it", "the chapter"),
    ),
    (
        "Translate {}.",
        (
            "'see you tomorrow' into Portuguese",
            "the German word 'Fernweh' into English",
            "'where is the museum' into Dutch",
            "'happy birthday' into Japanese",
        ),
        ("this", "the sign", "it into the other language", "that for me"),
    ),
    (
        "Convert {}.",
        (
            "12 inches to centimetres",
            "30 degrees Celsius to Fahrenheit",
            "250 grams to ounces",
            "90 minutes to hours",
        ),
        ("the amount to euros", "it to metric", "the temperature", "these to the right units"),
    ),
    (
        "Book {}.",
        (
            "a table for four at Luigi's in Naples at 8 pm on Saturday",
            "a single room at the Hilton in Oslo from May 3 to May 5",
            "a taxi to Heathrow Airport for 6 am tomorrow",
        ),
        ("a table for dinner", "a room for the trip", "a taxi for later"),
    ),
    (
        "Explain {}.",
        (
            "how the human heart pumps blood",
            "what causes tides on Earth",
            "the difference between a virus and a bacterium",
            "how a rainbow forms after rain",
        ),
        ("the theory", "what happened there", "it to me", "the best approach"),
    ),
    (
        "Recommend {}.",
        (
            "three novels by Jane Austen",
            "a vegetarian lasagne recipe for 6 people",
            "two museums to visit in Madrid",
        ),
        ("a good book", "the best restaurant", "something nice"),
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
