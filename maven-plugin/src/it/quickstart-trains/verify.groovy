// The build printed the summary table, kiln:train trained and saved, and the sample's main trained.
def log = new File(basedir, 'build.log').text
def expect = { String text, String what ->
  if (!log.contains(text)) {
    throw new AssertionError("build.log lacks ${what}: \"${text}\"")
  }
}
// kiln:summary printed the table exactly as the getting-started guide shows it.
def guide = new File(gettingStarted).readLines()
def first = guide.indexOf('[INFO] com.example.quickstart.FashionClassifierModel:')
def last = guide.findIndexOf { it.startsWith('[INFO] Total parameters:') }
if (first < 0 || last < first) {
  throw new AssertionError("${gettingStarted} shows no kiln:summary table")
}
expect(guide[first..last].join('\n'), "the guide's kiln:summary table")
expect('training FashionClassifier on Dataset(1000 examples', 'kiln:train with the limit')
def trained = (log =~ /FashionClassifier: test accuracy (\d\.\d+) after 1 epoch/)
if (!trained.find()) {
  throw new AssertionError('kiln:train reported no test accuracy')
}
// Ten classes: chance is 0.1; one epoch on 1,000 images is far better than that.
if (Double.parseDouble(trained.group(1)) < 0.4) {
  throw new AssertionError("kiln:train reached only ${trained.group(1)} test accuracy")
}
def params = new File(basedir, 'target/kiln/FashionClassifier/params.safetensors')
if (!params.isFile() || !new File(basedir, 'target/kiln/FashionClassifier/loss.png').isFile()) {
  throw new AssertionError("kiln:train wrote no ${params} or loss.png")
}
// The sample's main runs the same training through the DSL (same data, batch, optimizer, seed 0),
// so it must reach exactly the plugin's accuracy.
expect("test accuracy ${trained.group(1)} after 1 epochs", "the sample's main with the plugin's accuracy")
if (!new File(basedir, 'target/fashion-classifier.safetensors').isFile()) {
  throw new AssertionError("the sample's main saved no parameters")
}
return true
