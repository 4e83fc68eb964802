package dev.skiff.engine;

import dev.skiff.Gpu;
import dev.skiff.SkiffException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Finds this machine's GPUs with {@code nvidia-smi} and picks devices that match a GPU request. Thread-safe. */
public final class LocalGpus {
    record Device(int index, String name) {
    }

    private List<Device> devices;

    /** Returns the {@code CUDA_VISIBLE_DEVICES} value for the first spec that this machine can satisfy. */
    public synchronized String assign(String function, List<Gpu> preferences) {
        List<Device> found = discover();
        for (Gpu gpu : preferences) {
            List<Device> matching = found.stream().filter(d -> matches(gpu, d.name())).limit(gpu.count()).toList();
            if (matching.size() == gpu.count()) {
                return matching.stream().map(d -> Integer.toString(d.index())).collect(Collectors.joining(","));
            }
        }
        String seen = found.isEmpty() ? "nvidia-smi found no GPU"
                : "nvidia-smi found " + found.stream().map(Device::name).collect(Collectors.joining(", "));
        throw new SkiffException("No GPU on this machine matches the request " + preferences + " of " + function + ": "
                + seen + ". Remove the gpu option to run on the CPU, or use a backend with such GPUs.");
    }

    static boolean matches(Gpu gpu, String deviceName) {
        String name = deviceName.toUpperCase(Locale.ROOT);
        String type = gpu.type().toUpperCase(Locale.ROOT);
        if (type.equals("ANY")) {
            return true;
        }
        if (type.equals("H100") && !gpu.exact() && name.contains("H200")) {
            return true;
        }
        if (type.equals("A100-80GB")) {
            return name.contains("A100") && name.contains("80GB");
        }
        if (type.equals("A100-40GB")) {
            return name.contains("A100") && !name.contains("80GB");
        }
        return name.contains(type);
    }

    private List<Device> discover() {
        if (devices != null) {
            return devices;
        }
        List<Device> result = new ArrayList<>();
        try {
            Process process = new ProcessBuilder("nvidia-smi", "--query-gpu=index,name", "--format=csv,noheader")
                    .redirectErrorStream(true).start();
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    int comma = line.indexOf(',');
                    if (comma > 0) {
                        try {
                            result.add(new Device(Integer.parseInt(line.substring(0, comma).trim()),
                                    line.substring(comma + 1).trim()));
                        } catch (NumberFormatException e) {
                            // A line that is not "index, name" is a message from nvidia-smi, not a device.
                        }
                    }
                }
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            // No nvidia-smi on this machine: no GPUs.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        devices = List.copyOf(result);
        return devices;
    }
}
