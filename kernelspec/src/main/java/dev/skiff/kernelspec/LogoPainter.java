package dev.skiff.kernelspec;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Draws the kernel's logo, a sail on a blue tile, with Java2D shapes only (no fonts needed). */
final class LogoPainter {
    private static final Color TILE = new Color(0x1F, 0x5F, 0xA8);
    private static final Color SAIL = new Color(0xF4, 0xF1, 0xE8);
    private static final Color HULL = new Color(0xE8, 0x8A, 0x2E);

    private LogoPainter() {
    }

    /** Returns a {@code size} x {@code size} ARGB image of the logo. */
    static BufferedImage paint(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            double s = size;
            g.setColor(TILE);
            g.fill(new RoundRectangle2D.Double(0, 0, s, s, s * 0.25, s * 0.25));

            Path2D sail = new Path2D.Double();
            sail.moveTo(s * 0.50, s * 0.14);
            sail.lineTo(s * 0.50, s * 0.66);
            sail.lineTo(s * 0.22, s * 0.66);
            sail.closePath();
            Path2D jib = new Path2D.Double();
            jib.moveTo(s * 0.55, s * 0.24);
            jib.lineTo(s * 0.78, s * 0.66);
            jib.lineTo(s * 0.55, s * 0.66);
            jib.closePath();
            g.setColor(SAIL);
            g.fill(sail);
            g.fill(jib);

            Path2D hull = new Path2D.Double();
            hull.moveTo(s * 0.14, s * 0.72);
            hull.lineTo(s * 0.86, s * 0.72);
            hull.lineTo(s * 0.72, s * 0.86);
            hull.lineTo(s * 0.28, s * 0.86);
            hull.closePath();
            g.setColor(HULL);
            g.fill(hull);
            g.setStroke(new BasicStroke((float) Math.max(1, s / 32)));
            g.drawLine((int) (s * 0.52), (int) (s * 0.12), (int) (s * 0.52), (int) (s * 0.72));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Writes the logo as a PNG file. */
    static void write(int size, Path file) throws IOException {
        if (!ImageIO.write(paint(size), "png", file.toFile())) {
            throw new IOException("no PNG writer is available to write " + file);
        }
    }
}
