package dev.kiln.processor.model;

import com.palantir.javapoet.ClassName;
import dev.kiln.processor.layers.Inference;
import dev.kiln.processor.layers.LayerRule;
import dev.kiln.processor.layers.LayerRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Infers every shape of a model by running each layer's rule in order, and turns every mismatch
 * into a {@link Problem} that says what was expected, what was found and how it came about.
 */
public final class ShapeChecker {
  /** How many earlier steps a message retraces. */
  private static final int TRACE_STEPS = 4;

  private final LayerRules rules;

  public ShapeChecker(LayerRules rules) {
    this.rules = rules;
  }

  /** The checked network, or null with the problems found. */
  public record Result(Network network, List<Problem> problems) {
    public boolean ok() {
      return network != null && problems.isEmpty();
    }
  }

  public Result check(ModelSpec spec) {
    return new Run(spec).check();
  }

  private final class Run {
    private final ModelSpec spec;
    private final List<Problem> problems = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<ComponentParams> params = new ArrayList<>();
    private final Map<String, Value> byComponent = new LinkedHashMap<>();
    private final Map<Value, List<String>> traces = new HashMap<>();

    Run(ModelSpec spec) {
      this.spec = spec;
    }

    Result check() {
      Value input = new Value("input", Shape.batched(spec.input()), false);
      traces.put(input, List.of("input " + input.shape()));
      if (spec.components().isEmpty()) {
        problems.add(Problem.onModel(null, spec.name() + " has no components: declare its layers as record components"));
        return new Result(null, problems);
      }
      Value previous = input;
      for (ComponentSpec c : spec.components()) {
        Value source = source(c, previous, input);
        if (source == null) {
          return new Result(null, problems);
        }
        Value out = c.subModel() != null ? subModel(c, source) : layers(c, source);
        if (out == null) {
          return new Result(null, problems);
        }
        byComponent.put(c.name(), out);
        previous = out;
      }
      List<Value> outputs = outputs(previous);
      reportUnused(outputs);
      return problems.isEmpty()
          ? new Result(new Network(spec, input, steps, outputs, params), problems)
          : new Result(null, problems);
    }

    private Value source(ComponentSpec c, Value previous, Value input) {
      if (c.from() == null) {
        return previous;
      }
      if (c.from().equals("input")) {
        return input;
      }
      Value v = byComponent.get(c.from());
      if (v == null) {
        problems.add(Problem.onComponent(c.name(), c.name() + " reads from '" + c.from()
            + "', which is not an earlier component: expected \"input\" or one of " + byComponent.keySet()));
      }
      return v;
    }

    private Value layers(ComponentSpec c, Value source) {
      if (c.layers().isEmpty()) {
        problems.add(Problem.onComponent(c.name(), c.name() + " has no layer annotation: expected @Dense, @Flatten, ..."
            + " or a type that is a @Model record, found " + c.paramsType()));
        return null;
      }
      LayerRule owner = null;
      LayerSpec ownerLayer = null;
      Shape ownerInput = null;
      Value current = source;
      List<Step> own = new ArrayList<>();
      for (int i = 0; i < c.layers().size(); i++) {
        LayerSpec layer = c.layers().get(i);
        LayerRule rule = rules.find(layer.annotation());
        if (rule == null) {
          problems.add(Problem.onLayer(c.name(), layer, null, "no rule for @" + layer.kind()
              + " on the processor path: a layer annotation needs a LayerRule registered with ServiceLoader"));
          return null;
        }
        Inference inference = rule.infer(layer, current.shape());
        if (inference.failed()) {
          // an attribute that is wrong on its own needs no story of how the input came about
          String story = inference.aboutInput() ? trace(current, null) : "";
          problems.add(Problem.onLayer(c.name(), layer, inference.attribute(), c.name() + ": " + inference.error() + story));
          return null;
        }
        if (!rule.paramsType(layer).equals(LayerRule.NO_PARAMS)) {
          if (owner != null) {
            problems.add(Problem.onLayer(c.name(), layer, null, c.name() + " has two layers with parameters, @"
                + ownerLayer.kind() + " and @" + layer.kind() + ": give each its own component"));
            return null;
          }
          owner = rule;
          ownerLayer = layer;
          ownerInput = current.shape();
        }
        boolean last = i == c.layers().size() - 1;
        String name = last ? c.name() : c.name() + layer.kind() + i;
        Value out = new Value(name, inference.output(), rule.outputIsView());
        own.add(new Step(c, layer, rule, null, current, out, inference.explanation(),
            rule.flopsPerExample(layer, current.shape(), inference.output())));
        traces.put(out, append(traces.get(current), c.name() + ": " + inference.explanation()));
        current = out;
      }
      steps.addAll(ReluAfterMaxPool.apply(own, rules.find(ReluAfterMaxPool.ACTIVATE)));
      ClassName type = owner == null ? LayerRule.NO_PARAMS : owner.paramsType(ownerLayer);
      if (!type.simpleName().equals(c.paramsType())) {
        LayerSpec at = ownerLayer != null ? ownerLayer : c.layers().get(0);
        String holder = owner == null ? "has no parameters" : "holds @" + ownerLayer.kind() + "'s parameters";
        problems.add(Problem.onLayer(c.name(), at, null, c.name() + " " + holder + ", so its type must be "
            + type.simpleName() + ", found " + c.paramsType()));
        return null;
      }
      params.add(new ComponentParams(c, type,
          owner == null ? List.of() : owner.params(ownerLayer, ownerInput), null));
      return current;
    }

    private Value subModel(ComponentSpec c, Value source) {
      if (!c.layers().isEmpty()) {
        problems.add(Problem.onLayer(c.name(), c.layers().get(0), null, c.name() + " is the sub-model "
            + c.subModel().name() + " and cannot also carry @" + c.layers().get(0).kind()
            + ": put the layer on its own component"));
        return null;
      }
      Result sub = ShapeChecker.this.check(c.subModel());
      if (!sub.ok()) {
        problems.add(Problem.onComponent(c.name(), c.name() + ": the sub-model " + c.subModel().name()
            + " does not compile: " + sub.problems().get(0).message()));
        return null;
      }
      Network net = sub.network();
      if (!net.parameterSymbols().isEmpty()) {
        problems.add(Problem.onComponent(c.name(), c.name() + ": the sub-model " + c.subModel().name()
            + " sizes its parameters with " + String.join(", ", net.parameterSymbols())
            + ", which only its own init can bind; give the size as a number to use it as a sub-model"));
        return null;
      }
      if (!net.hasSingleOutput()) {
        problems.add(Problem.onComponent(c.name(), c.name() + ": the sub-model " + c.subModel().name() + " has "
            + net.outputs().size() + " outputs; a component can use a sub-model with one output"));
        return null;
      }
      Map<String, Dim> binding = new HashMap<>();
      if (!unify(net.input().shape(), source.shape(), binding)) {
        problems.add(Problem.onComponent(c.name(), c.name() + ": the sub-model " + c.subModel().name()
            + " expects input " + net.input().shape() + " but receives " + source.shape() + trace(source, null)));
        return null;
      }
      Shape outShape = substitute(net.outputs().get(0).shape(), binding);
      Value out = new Value(c.name(), outShape, false);
      String explanation = c.subModel().name() + ": " + source.shape() + " -> " + outShape;
      long flops = net.steps().stream().mapToLong(Step::flopsPerExample).sum();
      steps.add(new Step(c, null, null, net, source, out, explanation, flops));
      params.add(new ComponentParams(c, ClassName.get(c.subModel().packageName(), c.subModel().name()),
          List.of(), net));
      traces.put(out, append(traces.get(source), c.name() + ": " + explanation));
      return out;
    }

    private List<Value> outputs(Value last) {
      List<Value> outputs = new ArrayList<>();
      List<ComponentSpec> marked = spec.components().stream().filter(ComponentSpec::output).toList();
      if (marked.isEmpty()) {
        outputs.add(last);
      } else {
        marked.forEach(c -> outputs.add(byComponent.get(c.name())));
      }
      if (spec.outputs().isEmpty()) {
        return outputs;
      }
      if (spec.outputs().size() != outputs.size()) {
        problems.add(Problem.onModel("output", spec.name() + " declares " + count(spec.outputs().size(), "output shape")
            + " but has " + count(outputs.size(), "output") + ": "
            + outputs.stream().map(v -> v.name() + " " + v.shape()).toList()));
        return outputs;
      }
      for (int i = 0; i < outputs.size(); i++) {
        Value found = outputs.get(i);
        Shape promised = Shape.batched(spec.outputs().get(i));
        if (!unify(promised, found.shape(), new HashMap<>())) {
          ComponentSpec c = spec.components().stream().filter(x -> x.name().equals(found.name())).findFirst()
              .orElseThrow();
          String message = found.name() + " produces " + found.shape() + " but " + spec.name()
              + " promises output " + promised + trace(found, hint(promised, found.shape(), c));
          problems.add(c.layers().isEmpty() ? Problem.onComponent(c.name(), message)
              : Problem.onLayer(c.name(), c.layers().get(c.layers().size() - 1), null, message));
        }
      }
      return outputs;
    }

    /** A component whose result nothing reads would train nothing and hide a wiring mistake. */
    private void reportUnused(List<Value> outputs) {
      java.util.Set<Value> used = new java.util.HashSet<>(outputs);
      steps.forEach(s -> used.add(s.input()));
      for (ComponentSpec c : spec.components()) {
        if (!used.contains(byComponent.get(c.name()))) {
          problems.add(Problem.onComponent(c.name(), c.name()
              + " is computed but never used: feed it to a later component or mark it @Output"));
        }
      }
    }

    private String hint(Shape promised, Shape found, ComponentSpec c) {
      boolean dense = c.layers().stream().anyMatch(l -> l.kind().equals("Dense"));
      boolean flattened = c.layers().stream().anyMatch(l -> l.kind().equals("Flatten"));
      if (dense && !flattened && found.rank() > promised.rank() && found.last().equals(promised.last())) {
        return "add @Flatten before @Dense on " + c.name() + " to get " + promised;
      }
      return upsamplingHint(promised, found);
    }

    /** An image that came out smaller than promised by a whole factor: say how strides would reach it. */
    private String upsamplingHint(Shape promised, Shape found) {
      if (promised.rank() != 4 || found.rank() != 4) {
        return null;
      }
      Dim ph = promised.dim(1);
      Dim pw = promised.dim(2);
      Dim fh = found.dim(1);
      Dim fw = found.dim(2);
      if (!(ph.isKnown() && pw.isKnown() && fh.isKnown() && fw.isKnown()) || fh.size() >= ph.size()
          || ph.size() % fh.size() != 0 || pw.size() % fw.size() != 0 || ph.size() / fh.size() != pw.size() / fw.size()) {
        return null;
      }
      long factor = ph.size() / fh.size();
      return "a @ConvTranspose with strides = {s, s} multiplies H and W by s: strides whose product is " + factor
          + " reach " + ph + "x" + pw + " from " + fh + "x" + fw
          + (Long.bitCount(factor) == 1 ? " (e.g. strides = {2, 2} on " + Long.numberOfTrailingZeros(factor)
              + " of them)" : "");
    }

    private String trace(Value v, String hint) {
      List<String> t = traces.getOrDefault(v, List.of());
      List<String> shown = t.subList(Math.max(0, t.size() - TRACE_STEPS), t.size());
      String prefix = t.size() > TRACE_STEPS ? "... -> " : "";
      return "\n    (" + prefix + String.join(" -> ", shown) + (hint == null ? "" : "; " + hint) + ")";
    }
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static List<String> append(List<String> list, String item) {
    List<String> copy = new ArrayList<>(list);
    copy.add(item);
    return copy;
  }

  /** Whether {@code actual} fits {@code pattern}, binding the pattern's symbols (B binds to B only). */
  public static boolean unify(Shape pattern, Shape actual, Map<String, Dim> binding) {
    if (pattern.rank() != actual.rank()) {
      return false;
    }
    for (int i = 0; i < pattern.rank(); i++) {
      Dim p = pattern.dim(i);
      Dim a = actual.dim(i);
      if (p.isKnown()) {
        if (!p.equals(a)) {
          return false;
        }
      } else {
        Dim bound = binding.putIfAbsent(p.symbol(), a);
        if (bound != null && !bound.equals(a)) {
          return false;
        }
      }
    }
    return true;
  }

  static Shape substitute(Shape shape, Map<String, Dim> binding) {
    return new Shape(shape.dims().stream().map(d -> d.isKnown() ? d : binding.getOrDefault(d.symbol(), d)).toList());
  }
}
