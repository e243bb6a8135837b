package dev.sluice.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.hash.Sha256;
import java.util.Objects;
import java.util.Optional;

/**
 * The boot-control file ({@code boot-control.json} in the slots directory), the agent's stand-in
 * for a bootloader environment (U-Boot's {@code BOOT_ORDER}/{@code BOOT_x_LEFT}, GRUB's env). It is
 * always replaced atomically, so after any crash it names a slot holding a verified image (or the
 * factory image, before the first update).
 *
 * @param active the slot that boots when nothing is pending: {@code a} or {@code b}
 * @param pending the slot to try instead, while it has tries left
 * @param triesLeft boots the pending slot may still get
 * @param awaitingConfirmation whether the pending slot has been booted and waits to be confirmed
 * @param a what slot {@code a} holds (empty: factory image, or being rewritten)
 * @param b what slot {@code b} holds
 * @param highestVersion the highest version ever installed (anti-rollback)
 * @param product the product this device runs, once known
 */
public record BootControl(
    String active,
    Optional<String> pending,
    int triesLeft,
    boolean awaitingConfirmation,
    Optional<SlotImage> a,
    Optional<SlotImage> b,
    Optional<ReleaseVersion> highestVersion,
    Optional<String> product) {
  static final String FORMAT = "sluice.boot-control/v1";

  /** A verified image in a slot: its file name, version and digest. */
  public record SlotImage(String file, ReleaseVersion version, Sha256 sha256, long length) {
    public SlotImage {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(sha256, "sha256");
    }
  }

  public BootControl {
    requireSlot(active);
    Objects.requireNonNull(pending, "pending").ifPresent(BootControl::requireSlot);
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Objects.requireNonNull(highestVersion, "highestVersion");
    Objects.requireNonNull(product, "product");
    if (pending.isPresent() && pending.get().equals(active)) {
      throw new IllegalArgumentException("the pending slot must not be the active one");
    }
    if (pending.isPresent() && (triesLeft < 0 || (pending.get().equals("a") ? a : b).isEmpty())) {
      throw new IllegalArgumentException("a pending slot holds an image and has tries");
    }
    if (pending.isEmpty() && (triesLeft != 0 || awaitingConfirmation)) {
      throw new IllegalArgumentException("tries and confirmation belong to a pending slot");
    }
  }

  /** A fresh device: slot {@code a} active with its factory image. */
  public static BootControl factory() {
    return new BootControl(
        "a",
        Optional.empty(),
        0,
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  public static String other(String slot) {
    return slot.equals("a") ? "b" : "a";
  }

  public Optional<SlotImage> slot(String name) {
    return name.equals("a") ? a : b;
  }

  /** The slot the device runs now: the pending one once booted, else the active one. */
  public String running() {
    return awaitingConfirmation ? pending.orElseThrow() : active;
  }

  /** The slot an update is written to. */
  public String inactive() {
    return other(active);
  }

  BootControl withSlot(String name, Optional<SlotImage> image) {
    return new BootControl(
        active,
        pending,
        triesLeft,
        awaitingConfirmation,
        name.equals("a") ? image : a,
        name.equals("b") ? image : b,
        highestVersion,
        product);
  }

  BootControl withPending(String slot, int tries) {
    return new BootControl(active, Optional.of(slot), tries, false, a, b, highestVersion, product);
  }

  /** One boot into the pending slot: a try is used up. */
  BootControl bootingPending() {
    return new BootControl(active, pending, triesLeft - 1, true, a, b, highestVersion, product);
  }

  /** The pending slot runs and is healthy: it becomes active, its version the highest. */
  BootControl confirmed() {
    String slot = pending.orElseThrow();
    SlotImage image = slot(slot).orElseThrow();
    ReleaseVersion highest =
        highestVersion.filter(h -> !h.isOlderThan(image.version())).orElse(image.version());
    return new BootControl(slot, Optional.empty(), 0, false, a, b, Optional.of(highest), product);
  }

  /** The pending slot failed every try: boot the active one again. */
  BootControl fellBack() {
    return new BootControl(active, Optional.empty(), 0, false, a, b, highestVersion, product);
  }

  BootControl withProduct(String name) {
    return new BootControl(
        active, pending, triesLeft, awaitingConfirmation, a, b, highestVersion, Optional.of(name));
  }

  JsonNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("format", FORMAT);
    json.put("active", active);
    if (pending.isPresent()) {
      json.put("pending", pending.get());
    } else {
      json.putNull("pending");
    }
    json.put("tries_left", triesLeft);
    json.put("awaiting_confirmation", awaitingConfirmation);
    ObjectNode slots = json.putObject("slots");
    for (String name : new String[] {"a", "b"}) {
      Optional<SlotImage> image = slot(name);
      if (image.isEmpty()) {
        slots.putNull(name);
      } else {
        SlotImage i = image.get();
        slots
            .putObject(name)
            .put("file", i.file())
            .put("version", i.version().value())
            .put("sha256", i.sha256().hex())
            .put("length", i.length());
      }
    }
    highestVersion.ifPresent(v -> json.put("highest_version", v.value()));
    product.ifPresent(p -> json.put("product", p));
    return json;
  }

  static BootControl fromJson(JsonNode json) {
    if (!FORMAT.equals(json.path("format").asText())) {
      throw new IllegalArgumentException("format is not " + FORMAT);
    }
    JsonNode pending = json.path("pending");
    return new BootControl(
        json.path("active").asText(),
        pending.isTextual() ? Optional.of(pending.asText()) : Optional.empty(),
        json.path("tries_left").asInt(),
        json.path("awaiting_confirmation").asBoolean(),
        image(json.path("slots").path("a")),
        image(json.path("slots").path("b")),
        json.hasNonNull("highest_version")
            ? Optional.of(new ReleaseVersion(json.get("highest_version").asText()))
            : Optional.empty(),
        json.hasNonNull("product") ? Optional.of(json.get("product").asText()) : Optional.empty());
  }

  private static Optional<SlotImage> image(JsonNode json) {
    if (json == null || json.isNull() || json.isMissingNode()) {
      return Optional.empty();
    }
    return Optional.of(
        new SlotImage(
            json.path("file").asText(),
            new ReleaseVersion(json.path("version").asText()),
            Sha256.parse(json.path("sha256").asText()),
            json.path("length").asLong()));
  }

  private static void requireSlot(String slot) {
    if (!"a".equals(slot) && !"b".equals(slot)) {
      throw new IllegalArgumentException("a slot is 'a' or 'b', not '" + slot + "'");
    }
  }
}
