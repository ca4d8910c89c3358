"""Slot values for two synthetic families (``synthetic.py``): picks and textbook requests.

**pick**: problems that look precise but leave a rule out. A pick several items can win ("the
most common value") asks for a tie rule when the spec states other rules beside it; a k-th
largest there asks whether repeats count; a vague word next to a number ("about 8 characters")
asks for the tolerance. The clear rows are the same picks with the rule stated, a value instead
of an item ("the length of the longest string", which ties do not change), an exact bound, or
the bare pick as one sentence ("Write a function to find the longest word in a sentence."),
which MBPP-style graders take as clear.

**textbook**: very short requests. A textbook operation on an object the request introduces
("Implement insertion sort.", "Reverse a list.") needs no question; the same openings around
an object nothing introduces ("Sort the entries.", "Implement the parser.") do.
"""

from __future__ import annotations

# Picks that ties decide, and the tie rules that settle them.
TIE_OPS = (
    "return the most common value in a list",
    "find the least frequent character of a string",
    "find the longest string in a list of strings",
    "return the shortest name in a list of names",
    "find the index of the maximum in a list of numbers",
    "return the position of the smallest number in a list",
    "find the two elements of a list whose difference is the smallest",
    "return the point nearest to the origin from a list of points",
    "find the value in a list closest to a target",
    "return the letter that occurs most in a string",
    "compute the mode of a list of grades",
    "return the longest line of a text file",
    "return the key with the largest value in a dictionary",
    "find the most popular item in a list of orders",
    "find the word that is repeated most in a paragraph",
)
TIE_RULES = (
    ", returning the first one on ties",
    "; if several tie, return the one that comes first",
    ", ties broken alphabetically",
    ", or all of them if several tie",
    "; on a tie return the earliest",
    " (the first such item if there are several)",
)
RANK_OPS = (
    "return the second smallest value in a list",
    "find the third largest number of an array",
    "return the second highest score in a list of scores",
    "find the k-th smallest element of a list",
)
# The bare picks MBPP phrases as one sentence; an explicit index or position of an extreme
# asks even there (which of two equal extremes is a different answer).
BARE_PICKS = tuple(op for op in TIE_OPS if "index of" not in op and "position of" not in op)
RANK_RULES = (
    ", counting repeated values once",
    " among the distinct values",
    ", where duplicates count as separate values",
    " (repeats count once)",
)
# Rules a spec states beside a pick, none of them about ties: next to them a missing tie rule is
# conspicuous, while the same pick as a bare one-sentence request is a textbook phrasing.
OTHER_RULES = (
    "The input may be empty; return None in that case.",
    "Ignore case when comparing strings.",
    "Raise ValueError if the input is empty.",
    "Do not modify the input list.",
    "Punctuation is not part of a word.",
    "The input holds at most 10000 items.",
    "Return None for an empty list.",
    "Negative numbers are allowed.",
    "Run in linear time.",
    "Treat upper and lower case as different characters.",
)
# The value of a pick is the same whichever item wins, so nothing is left open.
VALUE_PICKS = (
    "return the length of the longest string in a list",
    "return the count of the most common value in a list",
    "return the size of the largest group of equal values in a list",
    "find the largest value in a list of numbers",
    "return the smallest distance between two points of a list",
    "return the number of times the most frequent character occurs in a string",
)
# A vague word beside a number vs. the exact bound.
HEDGED_OPS = (
    ("return the values of a list that are approximately 0", "return the values of a list "
     "within 0.001 of 0"),
    ("keep the strings of about 8 characters", "keep the strings of exactly 8 characters"),
    ("find the numbers in a list that are nearly 100", "find the numbers in a list between "
     "95 and 105 inclusive"),
    ("split a text into pieces of roughly 50 words", "split a text into pieces of at most 50 "
     "words"),
    ("return the elements much larger than 10", "return the elements larger than 10"),
    ("check whether a number is close to 1000", "check whether a number is within 5 of 1000"),
    ("return the prices around 20 dollars", "return the prices from 18 to 22 dollars"),
    ("keep the words slightly longer than 6 letters", "keep the words longer than 6 letters"),
    ("find the temperatures near 0 degrees", "find the temperatures below 0 degrees"),
    ("return the scores that are high enough", "return the scores of at least 60"),
    ("round a duration to about 15 minutes", "round a duration to the nearest 15 minutes"),
    ("group the timestamps that are more or less 5 seconds apart", "group the timestamps "
     "that are at most 5 seconds apart"),
)  # fmt: skip

# Textbook operations, algorithms and data structures: the name is the specification.
TEXTBOOK_CLEAR = (
    "Implement insertion sort.",
    "Implement quicksort.",
    "Implement selection sort on a list of integers.",
    "Implement heap sort.",
    "Implement a stack backed by a list.",
    "Implement a deque with append and pop at both ends.",
    "Implement a binary search tree with insert and search.",
    "Implement depth-first search on a graph.",
    "Implement breadth-first search.",
    "Implement a min-heap with push and pop.",
    "Implement a hash map with get and put.",
    "Implement binary search.",
    "Reverse a list.",
    "Sort a list of numbers.",
    "Sort an array of integers in descending order.",
    "Compute the factorial of a number.",
    "Check whether a string is a pangram.",
    "Convert kilometres to miles.",
    "Compute the median of a list of numbers.",
    "Compute the least common multiple of two integers.",
    "Count the consonants in a word.",
    "Write a function to sort an array.",
    "Write a function to reverse a list.",
    "Write a function to square a number.",
    "Write a function that sorts a list of integers.",
    "Write a function to compute the length of a list.",
    "Write a function that converts hours to seconds.",
    "Write a function to check whether a number is odd.",
    "Write a function to compute the cube of a number.",
    "Write a function to capitalize every word of a sentence.",
    "Write a program that prints the multiplication table of n.",
    "Write a function to swap two variables.",
    "Write a function to check whether a number is a power of two.",
    "Write a function to compute the average of an array.",
    "Write a function that returns the digits of an integer.",
    "Write a function to find the largest of three numbers.",
)
TEXTBOOK_VAGUE = (
    "Implement the parser.",
    "Implement the algorithm we need.",
    "Implement the scoring.",
    "Implement the conversion.",
    "Sort the entries.",
    "Tidy the values.",
    "Handle the payload.",
    "Check the inputs.",
    "Load the config.",
    "Merge the results.",
    "Summarise the log.",
    "Compare the outputs.",
    "Write a function to filter the list.",
    "Write a function to sort the entries.",
    "Write a function to transform the rows.",
    "Write a function that converts the values.",
    "Write a function to split the text.",
    "Write a function to format the output.",
    "Write a function that checks the entries.",
    "Write a function to map the fields.",
    "Write a function to combine the lists.",
    "Write a function that cleans the strings.",
    "Write a function to update the totals.",
    "Write a function that decodes the payload.",
    "Write a function to rank the items.",
    "Write a program that exports the results.",
    "Write a function to verify the numbers.",
    "Write a function to simplify the expression.",
    "Write a function that labels the points.",
    "Write a script that archives my documents.",
    "Write a function to adjust the prices.",
    "Write a function that fixes the dates.",
)
# Clear bug reports at the UI level: steps, expected and actual, but no file or identifier.
UI_BUGS = (
    ("the invoices page", "click Download", "the PDF is empty", "a PDF with every line item"),
    ("the sign-up form", "leave the phone field blank and submit", "the form clears itself",
     "a message that the phone number is required"),
    ("the calendar", "switch to week view", "Saturday is shown twice", "seven distinct days"),
    ("the search box", "type a name with an apostrophe", "no results are shown",
     "the matching people"),
    ("the settings page", "change the language and reload", "the old language comes back",
     "the chosen language is kept"),
    ("the cart", "remove the only item", "the total still shows the old amount",
     "a total of zero"),
)  # fmt: skip
