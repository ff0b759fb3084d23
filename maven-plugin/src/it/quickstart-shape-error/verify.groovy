// The compile failed with the [kiln] error the guide shows, on the line and column it shows.
def guide = new File(gettingStarted).text
def lines = guide.readLines()
def at = lines.findIndexOf { it.startsWith('[ERROR] ') && it.contains('[kiln]') }
def shown = at < 0 ? null : lines[at]
if (shown == null) {
  throw new AssertionError("${gettingStarted} shows no [ERROR] line with a [kiln] message")
}
// The guide's path is the reader's; compare from the file name on.
def expected = (shown =~ /(\w+\.java:\[\d+,\d+\] .*)$/)[0][1]
def log = new File(basedir, 'build.log').text
if (!log.readLines().any { it.startsWith('[ERROR] ') && it.endsWith('/' + expected) }) {
  throw new AssertionError("build.log lacks the guide's error \"${expected}\"")
}
def trace = lines[at + 1].strip()
if (!log.readLines().any { it.strip() == trace }) {
  throw new AssertionError("build.log lacks the guide's trace \"${trace}\"")
}
if (new File(basedir, 'target/classes/com/example/quickstart/FashionClassifierModel.class').exists()) {
  throw new AssertionError('a model with a shape error must generate no code')
}
return true
