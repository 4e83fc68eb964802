package dev.skiff.kernel.wire;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures of Jupyter messages, as lowercase hex over the header, parent header, metadata and
 * content frames in that order.
 *
 * <p>An empty key disables signing: {@link #sign} returns an empty signature and {@link #verify} accepts any.
 * Instances are immutable and thread-safe.
 */
public final class MessageSigner {

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] EMPTY = new byte[0];

    private final SecretKeySpec key;

    public MessageSigner(byte[] key) {
        this.key = key.length == 0 ? null : new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** Returns whether messages are signed and checked. */
    public boolean isSigning() {
        return key != null;
    }

    /** Returns the signature of the frames as ASCII hex bytes, or an empty array when signing is off. */
    public byte[] sign(byte[]... frames) {
        if (key == null) {
            return EMPTY;
        }
        Mac mac = newMac();
        for (byte[] frame : frames) {
            mac.update(frame);
        }
        return HexFormat.of().formatHex(mac.doFinal()).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Returns whether the signature matches the frames, comparing in constant time. Always true when signing
     * is off.
     */
    public boolean verify(byte[] signature, byte[]... frames) {
        if (key == null) {
            return true;
        }
        return MessageDigest.isEqual(sign(frames), signature);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
        }
    }
}
