package dev.sluice.core.standards;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.sluice.core.manifest.Version;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles standards sets into {@link CompiledStandards}. The CEL environment declares the {@link
 * ReleaseFacts} variables, the standard macros ({@code all}, {@code exists}, {@code exists_one},
 * {@code filter}, {@code map}, {@code has}), the {@code strings}, {@code lists} and {@code sets}
 * extensions, {@code cel.bind}, {@code version_compare(a, b)}, which compares two version strings
 * by {@link Version} precedence and returns -1, 0 or 1, and {@code as_set(list)}, which turns a
 * list of strings, ints or bools into a map from each element to {@code true}, so that {@code x in
 * as_set(list)} is a hash lookup rather than a scan.
 *
 * <p>Thread-safe; compiled sets are cached, so compiling the same set again is cheap.
 */
public final class StandardsEngine {
  /** The most comprehension ({@code all}, {@code map}, ...) iterations one evaluation may run. */
  public static final int MAX_COMPREHENSION_ITERATIONS = 1_000_000;

  private static final int MAX_CACHED_SETS = 64;

  private static final CelType FACT_MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);

  private final Map<StandardsSet, CompiledStandards> cache = new ConcurrentHashMap<>();

  /**
   * CEL's compiler and runtime, built on first use: building them loads over a thousand classes,
   * which a server should not pay for at start-up when it may not check a release for hours.
   */
  private volatile Cel cel;

  private record Cel(CelCompiler compiler, CelRuntime runtime) {}

  public StandardsEngine() {}

  private Cel cel() {
    Cel current = cel;
    if (current == null) {
      synchronized (this) {
        current = cel;
        if (current == null) {
          current = createCel();
          cel = current;
        }
      }
    }
    return current;
  }

  private static Cel createCel() {
    CelOptions options =
        CelOptions.current()
            .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
            .maxExpressionCodePointSize(Standard.MAX_EXPRESSION_LENGTH)
            .enableHeterogeneousNumericComparisons(true)
            .build();
    CelCompiler compiler =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(options)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(
                CelExtensions.strings(),
                CelExtensions.lists(),
                CelExtensions.sets(options),
                CelExtensions.bindings())
            .addVar("manifest", FACT_MAP)
            .addVar("artifacts", ListType.create(FACT_MAP))
            .addVar("previous", FACT_MAP)
            .addVar("has_previous", SimpleType.BOOL)
            .addVar("limits", MapType.create(SimpleType.STRING, SimpleType.INT))
            .addFunctionDeclarations(
                CelFunctionDecl.newFunctionDeclaration(
                    "version_compare",
                    CelOverloadDecl.newGlobalOverload(
                        "version_compare_string_string",
                        "compares two versions by precedence: -1, 0 or 1",
                        SimpleType.INT,
                        SimpleType.STRING,
                        SimpleType.STRING)),
                CelFunctionDecl.newFunctionDeclaration(
                    "as_set",
                    CelOverloadDecl.newGlobalOverload(
                        "as_set_list",
                        "the elements of a list of strings, ints or bools as map keys, for fast 'in'",
                        MapType.create(SimpleType.DYN, SimpleType.BOOL),
                        ListType.create(SimpleType.DYN))))
            .build();
    CelRuntime runtime =
        CelRuntimeFactory.standardCelRuntimeBuilder()
            .setOptions(options)
            .addLibraries(
                CelExtensions.strings(), CelExtensions.lists(), CelExtensions.sets(options))
            .addFunctionBindings(
                CelFunctionBinding.from(
                    "version_compare_string_string",
                    String.class,
                    String.class,
                    (a, b) -> (long) Integer.signum(Version.parse(a).compareTo(Version.parse(b)))),
                CelFunctionBinding.from("as_set_list", List.class, StandardsEngine::asSet))
            .build();
    return new Cel(compiler, runtime);
  }

  /**
   * Type-checks every standard of {@code set}: its expression must be a {@code bool} (or {@code
   * dyn}, checked when evaluated) and its offenders expression a list.
   *
   * @throws StandardsException listing every standard that does not compile, by id
   */
  public CompiledStandards compile(StandardsSet set) {
    CompiledStandards cached = cache.get(set);
    if (cached != null) {
      return cached;
    }
    List<StandardProblem> problems = new ArrayList<>();
    List<CompiledStandards.Entry> entries = new ArrayList<>();
    for (Standard standard : set.standards()) {
      CelRuntime.Program expression =
          program(standard.id(), "expression", standard.expression(), true, problems);
      CelRuntime.Program offenders =
          standard.offenders() == null
              ? null
              : program(standard.id(), "offenders", standard.offenders(), false, problems);
      entries.add(new CompiledStandards.Entry(standard, expression, offenders));
    }
    if (!problems.isEmpty()) {
      throw new StandardsException(problems);
    }
    CompiledStandards compiled = new CompiledStandards(set, entries);
    if (cache.size() >= MAX_CACHED_SETS) {
      cache.clear(); // sets change rarely; a crude bound is enough to stop unbounded growth
    }
    cache.put(set, compiled);
    return compiled;
  }

  private CelRuntime.Program program(
      String id, String what, String source, boolean isCondition, List<StandardProblem> problems) {
    CelValidationResult result = cel().compiler().compile(source);
    if (result.hasError()) {
      problems.add(new StandardProblem(id, what + " does not compile: " + result.getErrorString()));
      return null;
    }
    try {
      CelAbstractSyntaxTree ast = result.getAst();
      CelType type = ast.getResultType();
      if (isCondition && !type.equals(SimpleType.BOOL) && !type.equals(SimpleType.DYN)) {
        problems.add(new StandardProblem(id, what + " must be a bool, but is " + type.name()));
        return null;
      }
      if (!isCondition && !isStringList(type)) {
        problems.add(
            new StandardProblem(id, what + " must be a list of strings, but is " + describe(type)));
        return null;
      }
      return cel().runtime().createProgram(ast);
    } catch (CelValidationException | CelEvaluationException e) {
      problems.add(new StandardProblem(id, what + " cannot be prepared: " + e.getMessage()));
      return null;
    }
  }

  // 'x in list' compares x with every element; 'x in as_set(list)' is one hash lookup, which keeps
  // standards over thousands of components and capabilities linear.
  private static Map<Object, Boolean> asSet(List<?> list) {
    Map<Object, Boolean> set = new LinkedHashMap<>();
    for (Object element : list) {
      if (!(element instanceof String || element instanceof Long || element instanceof Boolean)) {
        throw new IllegalArgumentException("as_set takes a list of strings, ints or bools");
      }
      set.put(element, Boolean.TRUE);
    }
    return Collections.unmodifiableMap(set);
  }

  private static boolean isStringList(CelType type) {
    if (type.equals(SimpleType.DYN)) {
      return true;
    }
    return type instanceof ListType list
        && (list.elemType().equals(SimpleType.STRING) || list.elemType().equals(SimpleType.DYN));
  }

  private static String describe(CelType type) {
    return type instanceof ListType list ? "a list of " + list.elemType().name() : type.name();
  }
}
