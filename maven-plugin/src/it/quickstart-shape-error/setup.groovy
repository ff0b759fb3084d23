// Applies the guide's ```diff block (one line removed, one added) to the file it names.
def guide = new File(gettingStarted).text
def diff = (guide =~ /(?s)```diff\n(.*?)```/)
if (!diff.find()) {
  throw new AssertionError("${gettingStarted} has no ```diff block")
}
def lines = diff.group(1).readLines()
def path = lines.find { it.startsWith('+++ b/') }.substring(6)
def removed = lines.find { it.startsWith('-') && !it.startsWith('---') }.substring(1)
def added = lines.find { it.startsWith('+') && !it.startsWith('+++') }.substring(1)
def source = new File(basedir, path)
def text = source.text
if (!text.contains(removed + '\n')) {
  throw new AssertionError("${path} has no line \"${removed}\" for the guide's change")
}
source.text = text.replace(removed + '\n', added + '\n')
return true
