package dev.kiln.processor;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The processor's {@code -A} options. Each is off unless given, and given alone ({@code -Akiln.summary})
 * it means {@code true}.
 *
 * @param summary {@code kiln.summary}: print each model's summary table as a compiler note
 * @param verbose {@code kiln.verbose}: name the classes written for each model in a compiler note
 */
record Options(boolean summary, boolean verbose) {
  static final String SUMMARY = "kiln.summary";
  static final String VERBOSE = "kiln.verbose";
  static final Set<String> NAMES = Set.of(SUMMARY, VERBOSE);

  /** The options as javac passes them, with one sentence per value that is not a boolean. */
  static Options parse(Map<String, String> given, List<String> problems) {
    return new Options(flag(given, SUMMARY, problems), flag(given, VERBOSE, problems));
  }

  private static boolean flag(Map<String, String> given, String name, List<String> problems) {
    if (!given.containsKey(name)) {
      return false;
    }
    String value = given.get(name);
    if (value == null || value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    problems.add("-A" + name + " expects true or false, found \"" + value + "\"");
    return false;
  }
}
