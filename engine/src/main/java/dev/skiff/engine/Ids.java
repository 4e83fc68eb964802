package dev.skiff.engine;

import java.security.SecureRandom;

/** Makes object ids in Modal's style: a prefix such as {@code fc}, a dash and 22 base-62 characters. */
public final class Ids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId(String prefix) {
        char[] id = new char[prefix.length() + 1 + 22];
        prefix.getChars(0, prefix.length(), id, 0);
        id[prefix.length()] = '-';
        byte[] random = new byte[22];
        RANDOM.nextBytes(random);
        for (int i = 0; i < random.length; i++) {
            id[prefix.length() + 1 + i] = ALPHABET[(random[i] & 0xff) % ALPHABET.length];
        }
        return new String(id);
    }
}
