package com.helpdeskconnect.api.settings;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes one component of a connector's settings record for the admin's form.
 * Whether it is required comes from Jakarta constraints ({@code @NotNull}, {@code @NotBlank},
 * {@code @NotEmpty}); whether it is secret, from its type ({@link Secret}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Setting {
    /** The form label ("Instance URL"). */
    String label();

    /** One or two sentences of help shown under the field; may be empty. */
    String help() default "";

    /** The value used when the admin leaves the field out, in the raw form ("false", "3600"); empty for none. */
    String defaultValue() default "";
}
