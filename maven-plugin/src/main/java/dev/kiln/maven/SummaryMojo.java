package dev.kiln.maven;

import java.io.IOException;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Prints the summary table of every {@code @Model} the build compiled (layer, shapes, parameters,
 * FLOPs), as the generated {@code XxxModel.summary()} renders it. Bound to {@code process-classes},
 * so {@code mvn compile} with this goal in the pom shows every model after compiling it.
 */
@Mojo(name = "summary", defaultPhase = LifecyclePhase.PROCESS_CLASSES,
    requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class SummaryMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /** Skip printing, e.g. {@code -Dkiln.summary.skip}. */
  @Parameter(property = "kiln.summary.skip", defaultValue = "false")
  private boolean skip;

  @Override
  public void execute() throws MojoExecutionException {
    if (skip) {
      getLog().info("kiln:summary skipped");
      return;
    }
    try (ProjectModels models = ProjectModels.of(java.nio.file.Path.of(project.getBuild().getOutputDirectory()),
        project.getRuntimeClasspathElements())) {
      List<String> names = models.names();
      if (names.isEmpty()) {
        getLog().warn("no @Model records were compiled in " + project.getBuild().getOutputDirectory()
            + ": is kiln-processor on the maven-compiler-plugin's annotationProcessorPaths?");
        return;
      }
      for (String name : names) {
        getLog().info(name + ":");
        models.load(name).summary().lines().forEach(getLog()::info);
      }
    } catch (DependencyResolutionRequiredException | IOException | RuntimeException e) {
      throw new MojoExecutionException("kiln:summary: " + e.getMessage(), e);
    }
  }
}
