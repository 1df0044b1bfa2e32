package com.helpdeskconnect.host.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Services speak in domain exceptions ({@code host.errors}); only the {@code http} package knows
 * status codes, so integrations, sync and storage never depend on it.
 */
class LayeringTest {
    private static final JavaClasses HOST = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.helpdeskconnect.host");

    @Test
    void servicesDoNotDependOnTheHttpLayer() {
        noClasses().that().resideInAnyPackage("..host.integrations..", "..host.sync..", "..host.storage..", "..host.errors..")
                .should().dependOnClassesThat().resideInAPackage("..host.http..")
                .because("services throw domain exceptions; http.DomainErrors maps them to answers")
                .check(HOST);
    }
}
