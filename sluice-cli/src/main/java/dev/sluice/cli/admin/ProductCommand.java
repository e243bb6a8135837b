package dev.sluice.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.catalog.CreateProductRequest;
import dev.sluice.api.catalog.UpdateProductRequest;
import dev.sluice.cli.client.Pager;
import dev.sluice.cli.client.Product;
import dev.sluice.cli.client.SluiceClient;
import dev.sluice.cli.command.ApiCommand;
import dev.sluice.cli.command.ExitCodes;
import dev.sluice.cli.command.InputFile;
import dev.sluice.cli.command.JsonOption;
import dev.sluice.cli.command.PageOptions;
import dev.sluice.cli.command.Terminal;
import dev.sluice.cli.output.Output;
import dev.sluice.cli.output.Sizes;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.json.MalformedJsonException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/** {@code sluice product}: products and who must certify their releases. */
@Command(
    name = "product",
    description = "Create, update and inspect products.",
    subcommands = {
      ProductCommand.Create.class,
      ProductCommand.Show.class,
      ProductCommand.ListProducts.class,
      ProductCommand.Update.class,
      PolicyCommand.class
    })
public final class ProductCommand {

  /** {@code sluice product create}. */
  @Command(name = "create", description = "Create a product (admin).")
  static final class Create extends ApiCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "e.g. acme-gw")
    private String name;

    @Option(
        names = "--certifier",
        required = true,
        arity = "1..*",
        split = ",",
        paramLabel = "ID",
        description = "The certifiers whose sign-offs count.")
    private List<String> certifiers;

    @Option(
        names = "--threshold",
        required = true,
        paramLabel = "M",
        description = "How many of the certifiers must approve a release.")
    private int threshold;

    @Option(
        names = "--description",
        paramLabel = "TEXT",
        defaultValue = "",
        description = "What the product is, shown on the public portal.")
    private String description;

    @Option(
        names = "--max-artifact-size",
        paramLabel = "SIZE",
        converter = SizeConverter.class,
        description = "Largest artifact accepted, e.g. 4GiB, 512MiB or bytes (server default).")
    private Long maxArtifactSize;

    @Option(
        names = "--standards",
        paramLabel = "FILE.json",
        description = "A JSON array of extra standards, added to the default set.")
    @InputFile
    private Path standards;

    @Option(
        names = "--security-updates-not-deferrable",
        description = "Device owners may not defer this product's security updates.")
    private boolean securityUpdatesNotDeferrable;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) throws java.io.IOException {
      CreateProductRequest request =
          new CreateProductRequest(
              name,
              description,
              certifiers,
              threshold,
              maxArtifactSize,
              standards == null ? null : readStandards(spec().commandLine(), standards),
              securityUpdatesNotDeferrable ? false : null);
      print(terminal.out(), client.createProduct(request), json.requested());
      return ExitCodes.OK;
    }

    static List<JsonNode> readStandards(picocli.CommandLine commandLine, Path file)
        throws java.io.IOException {
      JsonNode node;
      try {
        node = CanonicalJson.parse(Files.readAllBytes(file));
      } catch (MalformedJsonException e) {
        throw new ParameterException(commandLine, "--standards " + file + ": " + e.getMessage());
      }
      if (!node.isArray()) {
        throw new ParameterException(
            commandLine, "--standards " + file + " must hold a JSON array of standard objects");
      }
      List<JsonNode> list = new ArrayList<>();
      node.forEach(list::add);
      return list;
    }
  }

  /** {@code sluice product update}. */
  @Command(
      name = "update",
      description = {
        "Change a product's description, artifact size limit, extra standards or deferral (admin).",
        "Certifiers and threshold change only by an endorsed proposal: sluice product policy."
      })
  static final class Update extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The product to change.")
    private String name;

    @Option(names = "--description", paramLabel = "TEXT", description = "A new description.")
    private String description;

    @Option(
        names = "--max-artifact-size",
        paramLabel = "SIZE",
        converter = SizeConverter.class,
        description = "Largest artifact accepted from now on, e.g. 8GiB, 512MiB or bytes.")
    private Long maxArtifactSize;

    @Option(
        names = "--standards",
        paramLabel = "FILE.json",
        description =
            "A JSON array of extra standards replacing the current extras (a new standards"
                + " version; releases already checked keep theirs).")
    @InputFile
    private Path standards;

    @Option(
        names = "--security-updates-deferrable",
        arity = "1",
        paramLabel = "true|false",
        description = "Whether device owners may defer this product's security updates.")
    private Boolean deferrable;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) throws java.io.IOException {
      UpdateProductRequest changes =
          new UpdateProductRequest(
              description,
              maxArtifactSize,
              standards == null ? null : Create.readStandards(spec().commandLine(), standards),
              deferrable);
      if (changes.equals(new UpdateProductRequest(null, null, null, null))) {
        throw new ParameterException(
            spec().commandLine(),
            "nothing to change: give --description, --max-artifact-size, --standards or"
                + " --security-updates-deferrable");
      }
      print(terminal.out(), client.updateProduct(name, changes), json.requested());
      return ExitCodes.OK;
    }
  }

  /** {@code sluice product show}. */
  @Command(name = "show", description = "Show a product and its standards.")
  static final class Show extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "The product name.")
    private String name;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      print(terminal.out(), client.product(name), json.requested());
      return ExitCodes.OK;
    }
  }

  /** {@code sluice product list}. */
  @Command(
      name = "list",
      description = {
        "List the products, in name order: every one, read page by page.",
        "With --limit N it stops after N and standard error says how to read on (--after)."
      })
  static final class ListProducts extends ApiCommand {
    @Mixin private PageOptions pages;

    @Mixin private JsonOption json;

    @Override
    protected int run(SluiceClient client, Terminal terminal) {
      Pager.Read<Product, String> read = pages.read(client::products);
      List<Product> products = read.items();
      if (json.requested()) {
        Output.jsonArray(terminal.out(), products.stream().map(p -> p.json()));
        pages.more(terminal, "products", read);
        return ExitCodes.OK;
      }
      Output.table(
          terminal.out(),
          List.of("NAME", "THRESHOLD", "CERTIFIERS", "MAX ARTIFACT", "STANDARDS"),
          products.stream()
              .map(
                  p ->
                      List.of(
                          p.name(),
                          p.threshold() + " of " + p.certifiers().size(),
                          String.join(",", p.certifiers()),
                          Sizes.format(p.maxArtifactSize()),
                          p.standardsSetId() + " v" + p.standardsVersion()))
              .toList());
      pages.more(terminal, "products", read);
      return ExitCodes.OK;
    }
  }

  private static void print(PrintWriter out, Product product, boolean json) {
    if (json) {
      Output.json(out, product.json());
      return;
    }
    out.println("product       " + product.name());
    if (!product.description().isBlank()) {
      out.println("description   " + product.description());
    }
    out.println(
        "certification " + product.threshold() + " of " + String.join(", ", product.certifiers()));
    out.println("max artifact  " + Sizes.format(product.maxArtifactSize()));
    out.println("standards     " + product.standardsSetId() + " v" + product.standardsVersion());
    for (dev.sluice.api.catalog.StandardsSetView.Standard s : product.standards()) {
      out.printf(
          "  %-7s %s%s%n", s.severity(), s.id(), s.title().isBlank() ? "" : " - " + s.title());
    }
  }

  /** Reads {@code --max-artifact-size} with {@link Sizes#parse}. */
  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Sizes.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
