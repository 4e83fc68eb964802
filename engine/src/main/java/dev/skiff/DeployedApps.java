package dev.skiff;

import java.util.List;

/**
 * Lists and removes the apps deployed under the Skiff home ({@code SKIFF_HOME/apps}), for tools
 * such as the {@code skiff apps} command. {@link App#deploy()} adds them.
 */
public final class DeployedApps {
    private DeployedApps() {
    }

    /** Returns the names of the deployed apps, sorted. */
    public static List<String> list() {
        return Deployments.list();
    }

    /**
     * Removes the deployment of {@code appName}; returns false when no app of that name is deployed.
     *
     * @throws InvalidException when {@code appName} is not a valid app name
     */
    public static boolean remove(String appName) {
        return Deployments.remove(appName);
    }
}
