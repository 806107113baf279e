package dev.steadytext.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The texts every embeddings figure embeds: a few hundred short sentences (about 12 word-piece tokens) and some long
 * passages (about 110), from a fixed seed.
 *
 * <p>Passages stay under 128 tokens: LangChain4j's tokenizer truncates there (its tokenizer.json says so), ours at
 * 256 like sentence-transformers, so longer texts would give the two engines different work and different vectors.
 */
final class SampleTexts {

    static final int SHORT = 300;
    static final int LONG = 20;

    private static final String[] SUBJECTS = {"The cat", "A database", "My neighbour", "The old lighthouse keeper",
        "An engineer", "The river", "A small robot", "The committee", "Our garden", "The orchestra"};
    private static final String[] VERBS = {"watches", "remembers", "builds", "ignores", "repairs", "paints",
        "questions", "follows", "describes", "celebrates"};
    private static final String[] OBJECTS = {"the morning train", "a forgotten index", "the quiet harbour",
        "every cached answer", "a paper boat", "the northern lights", "a broken clock", "the long winter",
        "three green apples", "the empty stadium"};
    private static final String[] TAILS = {"before dawn.", "with great care.", "for no reason at all.",
        "while it rains.", "in the evening.", "as the queue drains.", "without a word.", "once again."};

    private SampleTexts() {}

    private static final int SENTENCES_PER_PASSAGE = 9;

    /** {@value #SHORT} short sentences and {@value #LONG} long passages, shuffled together. */
    static List<String> corpus() {
        List<String> texts = new ArrayList<>(shortSentences());
        texts.addAll(longPassages());
        java.util.Collections.shuffle(texts, new Random(3));
        return texts;
    }

    static List<String> shortSentences() {
        Random random = new Random(1);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < SHORT; i++) {
            texts.add(sentence(random));
        }
        return texts;
    }

    static List<String> longPassages() {
        Random random = new Random(2);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < LONG; i++) {
            StringBuilder passage = new StringBuilder();
            for (int s = 0; s < SENTENCES_PER_PASSAGE; s++) {
                passage.append(s == 0 ? "" : " ").append(sentence(random));
            }
            texts.add(passage.toString());
        }
        return texts;
    }

    /** The corpus with a round-specific prefix, so that every round is a cache miss. */
    static List<String> fresh(List<String> corpus, String round) {
        return corpus.stream().map(t -> "[" + round + "] " + t).toList();
    }

    private static String sentence(Random random) {
        return pick(random, SUBJECTS) + " " + pick(random, VERBS) + " " + pick(random, OBJECTS) + " "
                + pick(random, TAILS);
    }

    private static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }
}
