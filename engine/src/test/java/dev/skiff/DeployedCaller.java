package dev.skiff;

/**
 * A separate JVM's view of deployments: {@code DeployedCaller APP FUNCTION ARG} prints the result of
 * calling the deployed function with one integer argument; {@code DeployedCaller APP CLASS METHOD}
 * with a class name calls that method without arguments.
 */
public final class DeployedCaller {
    private DeployedCaller() {
    }

    public static void main(String[] args) {
        try (Engine engine = Engine.getDefault()) {
            Object result;
            if (Character.isUpperCase(args[1].charAt(0))) {
                result = Cls.fromName(args[0], args[1]).lookup(args[2]).remote();
            } else {
                result = Function.fromName(args[0], args[1]).remote(Integer.parseInt(args[2]));
            }
            System.out.println("result=" + result);
        } catch (NotFoundException e) {
            System.out.println("not found: " + e.getMessage());
            System.exit(4);
        }
    }
}
