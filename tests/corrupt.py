"""Ways to damage a document for the refusal tests."""
import random


def shuffled_tabs(text: str, tabs: int, header: str, seed: int) -> str:
    """Every table row (a line with ``tabs`` tabs, not the header) gets its
    tabs moved to random places, as a bad conversion would."""
    rng = random.Random(seed)

    def shuffle(line: str) -> str:
        if line.count("\t") != tabs or line.startswith(header):
            return line
        chars = list(line.replace("\t", ""))
        for _ in range(tabs):
            chars.insert(rng.randrange(len(chars)), "\t")
        return "".join(chars)

    return "\n".join(shuffle(line) for line in text.split("\n"))
