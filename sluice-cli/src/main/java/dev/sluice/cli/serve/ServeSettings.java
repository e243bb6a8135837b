package dev.sluice.cli.serve;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.api.WireJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The settings of {@code sluice serve} from a configuration file and the environment, turned into
 * arguments placed before the command line's own: the command line wins over the environment, which
 * wins over the file, which wins over the built-in defaults. (Repeatable options such as {@code
 * --tuf-expiry} add up instead.)
 *
 * <p>The file is YAML, named by {@code --config FILE} or {@code SLUICE_CONFIG}; its keys are the
 * long option names without the dashes ({@code port: 8080}, {@code tuf-expiry: {timestamp: 6h}}).
 * An unknown key is refused with the list of known ones, so a typo is never silently ignored. Each
 * option also reads {@code SLUICE_<NAME>} ({@code --poll-interval} from {@code
 * SLUICE_POLL_INTERVAL}).
 */
public final class ServeSettings {
  static final String CONFIG_ENV = "SLUICE_CONFIG";
  private static final ObjectMapper YAML = WireJson.strict(YAMLMapper.builder()).build();

  private ServeSettings() {}

  /** A configuration file or variable that cannot be used, with what is wrong. */
  public static sealed class SettingsException extends RuntimeException
      permits MissingConfigFileException {
    private static final long serialVersionUID = 1L;

    SettingsException(String message) {
      super(message);
    }
  }

  /** The configuration file named by {@code --config} or {@code SLUICE_CONFIG} does not exist. */
  public static final class MissingConfigFileException extends SettingsException {
    private static final long serialVersionUID = 1L;

    MissingConfigFileException(Path file) {
      super("no such file or directory: " + file + " (the configuration file)");
    }
  }

  /**
   * The arguments to parse for {@code serve}: settings from the file and the environment, then
   * {@code commandLine} (the arguments after {@code serve}).
   *
   * @throws SettingsException if the file cannot be read or holds an unknown key or a bad value
   */
  public static List<String> expand(
      CommandSpec serve, List<String> commandLine, Map<String, String> environment) {
    Map<String, OptionSpec> options = new LinkedHashMap<>();
    for (OptionSpec option : serve.options()) {
      String name = option.longestName();
      if (name.startsWith("--") && !option.usageHelp() && !name.equals("--config")) {
        options.put(name.substring(2), option);
      }
    }
    List<String> out = new ArrayList<>();
    Optional<Path> file = configFile(commandLine, environment);
    if (file.isPresent()) {
      out.addAll(fromFile(file.get(), options));
    }
    out.addAll(fromEnvironment(environment, options));
    out.addAll(commandLine);
    return out;
  }

  private static Optional<Path> configFile(List<String> args, Map<String, String> environment) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--config") && i + 1 < args.size()) {
        return Optional.of(Path.of(args.get(i + 1)));
      }
      if (arg.startsWith("--config=")) {
        return Optional.of(Path.of(arg.substring("--config=".length())));
      }
    }
    return Optional.ofNullable(environment.get(CONFIG_ENV)).filter(s -> !s.isBlank()).map(Path::of);
  }

  private static List<String> fromFile(Path file, Map<String, OptionSpec> options) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new MissingConfigFileException(file);
    } catch (JacksonException e) {
      throw new SettingsException(
          "the configuration file " + file + " is not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new SettingsException("cannot read the configuration file " + file + ": " + e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return List.of();
    }
    if (!root.isObject()) {
      throw new SettingsException(
          "the configuration file " + file + " must be a mapping of option names to values");
    }
    List<String> args = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      OptionSpec option = options.get(field.getKey());
      if (option == null) {
        throw new SettingsException(
            "unknown setting '"
                + field.getKey()
                + "' in "
                + file
                + "; known settings: "
                + String.join(", ", new TreeSet<>(options.keySet())));
      }
      args.addAll(arguments(option, field.getKey(), field.getValue(), file.toString()));
    }
    return args;
  }

  private static List<String> arguments(
      OptionSpec option, String key, JsonNode value, String source) {
    String name = option.longestName();
    boolean flag = option.arity().max() == 0;
    if (flag) {
      if (!value.isBoolean()) {
        throw new SettingsException(source + ": '" + key + "' is true or false");
      }
      return value.booleanValue() ? List.of(name) : List.of();
    }
    List<String> args = new ArrayList<>();
    if (value.isObject()) {
      if (!option.typeInfo().isMap()) {
        throw new SettingsException(source + ": '" + key + "' takes a single value, not a mapping");
      }
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        args.add(name);
        args.add(entry.getKey() + "=" + scalar(entry.getValue(), key, source));
      }
      return args;
    }
    if (value.isArray()) {
      if (!option.isMultiValue()) {
        throw new SettingsException(source + ": '" + key + "' takes a single value, not a list");
      }
      for (JsonNode element : value) {
        args.add(name);
        args.add(scalar(element, key, source));
      }
      return args;
    }
    return List.of(name, scalar(value, key, source));
  }

  private static String scalar(JsonNode value, String key, String source) {
    if (value.isTextual() || value.isNumber() || value.isBoolean()) {
      return value.asText();
    }
    throw new SettingsException(source + ": '" + key + "' needs a text, number or boolean value");
  }

  private static List<String> fromEnvironment(
      Map<String, String> environment, Map<String, OptionSpec> options) {
    List<String> args = new ArrayList<>();
    for (Map.Entry<String, OptionSpec> option : options.entrySet()) {
      String variable = environmentName(option.getKey());
      String value = environment.get(variable);
      if (value == null || value.isEmpty()) {
        continue;
      }
      OptionSpec spec = option.getValue();
      if (spec.arity().max() == 0) {
        switch (value.toLowerCase(Locale.ROOT)) {
          case "true", "1", "yes" -> args.add(spec.longestName());
          case "false", "0", "no" -> {}
          default ->
              throw new SettingsException(variable + " is true or false, not '" + value + "'");
        }
      } else if (spec.isMultiValue()) {
        // Several values are separated by commas: SLUICE_TUF_EXPIRY=timestamp=6h,snapshot=3d.
        for (String part : value.split(",")) {
          args.add(spec.longestName());
          args.add(part.strip());
        }
      } else {
        args.add(spec.longestName());
        args.add(value);
      }
    }
    return args;
  }

  /** {@code poll-interval} → {@code SLUICE_POLL_INTERVAL}. */
  static String environmentName(String option) {
    return "SLUICE_" + option.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
