package com.helpdeskconnect.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The SPI is shared with every plugin, so it may lean on nothing but the JDK and three small APIs. */
class SpiDependenciesTest {
    private static final JavaClasses SPI = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.helpdeskconnect.api");

    @Test
    void spiDependsOnlyOnJdkSlf4jJakartaValidationAndPf4jExtensionPoint() {
        classes().should().onlyDependOnClassesThat(
                        com.tngtech.archunit.base.DescribedPredicate.describe(
                                "JDK, connector-api, SLF4J, Jakarta Validation or org.pf4j.ExtensionPoint",
                                c -> c.getPackageName().startsWith("java.") || c.getPackageName().equals("javax.net")
                                        || c.getPackageName().startsWith("com.helpdeskconnect.api")
                                        || c.getPackageName().startsWith("org.slf4j")
                                        || c.getPackageName().startsWith("jakarta.validation")
                                        || c.getName().equals("org.pf4j.ExtensionPoint")
                                        || c.isPrimitive() || c.isArray() && c.getBaseComponentType().isPrimitive()))
                .check(SPI);
    }

    @Test
    void valuesAreRecordsOrEnums() {
        classes().that().resideInAnyPackage("com.helpdeskconnect.api.cases", "com.helpdeskconnect.api.webhook")
                .and().areNotInterfaces()
                .should().beAssignableTo(Record.class).orShould().beEnums()
                .check(SPI);
    }

    @Test
    void errorsAreConnectorExceptions() {
        classes().that().resideInAPackage("com.helpdeskconnect.api.errors").and().areNotEnums().and().doNotHaveSimpleName("package-info")
                .should().beAssignableTo(com.helpdeskconnect.api.errors.ConnectorException.class)
                .check(SPI);
    }
}
