package dev.kiln.maven;

import dev.kiln.runtime.model.ModelDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The compiled models of a project, loaded from its class path. Kiln's runtime (and ND4J) come from
 * the plugin, the project's own classes from its class path, so a model built against the same Kiln
 * version as the plugin runs in the build's JVM.
 */
final class ProjectModels implements AutoCloseable {
  private final Path classesDirectory;
  private final URLClassLoader loader;

  private ProjectModels(Path classesDirectory, URLClassLoader loader) {
    this.classesDirectory = classesDirectory;
    this.loader = loader;
  }

  /** Models under {@code classesDirectory}, loaded with the project's {@code classpath} elements. */
  static ProjectModels of(Path classesDirectory, List<String> classpath) {
    List<URL> urls = new ArrayList<>();
    try {
      urls.add(classesDirectory.toUri().toURL());
      for (String element : classpath) {
        urls.add(Path.of(element).toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("class path element is not a path: " + e.getMessage(), e);
    }
    return new ProjectModels(classesDirectory,
        new URLClassLoader(urls.toArray(URL[]::new), ProjectModels.class.getClassLoader()));
  }

  /** The generated model classes, sorted. */
  List<String> names() {
    try {
      return ModelIndex.list(classesDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model index in " + classesDirectory, e);
    }
  }

  /** The {@code INSTANCE} of a generated model class. */
  ModelDefinition<?> load(String modelClass) {
    try {
      Object instance = Class.forName(modelClass, true, loader).getField("INSTANCE").get(null);
      if (!(instance instanceof ModelDefinition<?> model)) {
        throw new IllegalStateException(modelClass + ".INSTANCE is not a Kiln model (found "
            + instance.getClass().getName() + "); rebuild the project with this version of kiln-processor");
      }
      return model;
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the model index lists " + modelClass + " but it is not on the class path; "
          + "run mvn clean compile", e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(modelClass + " has no public INSTANCE: " + e, e);
    }
  }

  /** The loader the project's code runs with (set it as the thread's context loader while it runs). */
  ClassLoader loader() {
    return loader;
  }

  @Override
  public void close() throws IOException {
    loader.close();
  }
}
