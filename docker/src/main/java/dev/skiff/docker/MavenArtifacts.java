package dev.skiff.docker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Resolves Maven coordinates and their runtime dependencies with Maven Resolver, from Maven Central
 * into the local repository ({@code ~/.m2/repository}, or {@code maven.repo.local} when set). The
 * kernel's {@code %maven} and {@code Image.mavenInstall} use it. Thread-safe.
 */
public final class MavenArtifacts {
    private static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    private RepositorySystem system;

    /**
     * Returns the jars of {@code coordinates} ({@code group:artifact:version}, or with extension and
     * classifier as {@code group:artifact[:extension[:classifier]]:version}) and of its runtime
     * dependencies.
     *
     * @throws IllegalArgumentException when the coordinates are invalid
     * @throws DependencyResolutionException when something cannot be resolved
     */
    public synchronized List<Path> resolve(String coordinates) throws DependencyResolutionException {
        DefaultArtifact artifact = new DefaultArtifact(coordinates);
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        Path localRepository = Path.of(System.getProperty("maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
        try (CloseableSession session = new SessionBuilderSupplier(system).get()
                .withLocalRepositoryBaseDirectories(localRepository)
                .setSystemProperties(System.getProperties())
                .build()) {
            RemoteRepository central = new RemoteRepository.Builder("central", "default", CENTRAL).build();
            CollectRequest collect = new CollectRequest(new Dependency(artifact, "runtime"), List.of(central));
            DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter("runtime"));
            List<Path> jars = new ArrayList<>();
            for (ArtifactResult result : system.resolveDependencies(session, request).getArtifactResults()) {
                if (result.getArtifact() != null && result.getArtifact().getPath() != null) {
                    jars.add(result.getArtifact().getPath());
                }
            }
            return jars;
        }
    }
}
