package dev.skiff.kernel.java;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.kernel.Replies;

/** The {@code kernel_info_reply} content of the Java kernel. */
final class KernelInfo {
    static final String IMPLEMENTATION = "skiff";

    private KernelInfo() {
    }

    static ObjectNode reply() {
        String javaVersion = System.getProperty("java.version");
        int feature = Runtime.version().feature();
        ObjectNode reply = Replies.ok();
        reply.put("implementation", IMPLEMENTATION);
        reply.put("implementation_version", version());
        reply.put("banner", "Skiff Java kernel " + version() + ": JShell on Java " + javaVersion
                + ", with Skiff's App, Function and Cls imported");
        ObjectNode language = reply.putObject("language_info");
        language.put("name", "java");
        language.put("version", javaVersion);
        language.put("mimetype", "text/x-java-source");
        language.put("file_extension", ".jshell");
        language.put("codemirror_mode", "java");
        language.put("pygments_lexer", "java");
        ArrayNode links = reply.putArray("help_links");
        links.addObject().put("text", "Java SE " + feature + " API")
                .put("url", "https://docs.oracle.com/en/java/javase/" + feature + "/docs/api/");
        links.addObject().put("text", "JShell user guide")
                .put("url", "https://docs.oracle.com/en/java/javase/" + feature + "/jshell/introduction-jshell.html");
        return reply;
    }

    static String version() {
        String version = KernelInfo.class.getPackage().getImplementationVersion();
        return version != null ? version : "0.1.0";
    }
}
