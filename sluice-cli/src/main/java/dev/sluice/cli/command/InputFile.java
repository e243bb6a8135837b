package dev.sluice.cli.command;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code Path} (or {@code List<Path>}) option or parameter that names a file or directory
 * the command reads, so it must exist: {@link InputFiles} checks it before the command runs and a
 * missing one ends the command with {@link ExitCodes#NO_SUCH_FILE}, the same everywhere.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InputFile {}
