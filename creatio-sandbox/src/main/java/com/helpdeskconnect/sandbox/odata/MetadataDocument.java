package com.helpdeskconnect.sandbox.odata;

import com.helpdeskconnect.sandbox.model.Column;
import com.helpdeskconnect.sandbox.model.EntitySchema;
import com.helpdeskconnect.sandbox.model.SchemaCatalog;

/**
 * {@code $metadata}: an OData 4 CSDL (EDMX) document listing every served schema, its columns and
 * types, and a navigation property per lookup whose target is served. Built on each call so
 * custom columns declared after start show up.
 */
final class MetadataDocument {
    static final String NAMESPACE = "Terrasoft.Configuration";

    private final SchemaCatalog schemas;

    MetadataDocument(SchemaCatalog schemas) {
        this.schemas = schemas;
    }

    String xml() {
        StringBuilder xml = new StringBuilder(16_384)
                .append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
                .append("<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n")
                .append("  <edmx:DataServices>\n")
                .append("    <Schema Namespace=\"").append(NAMESPACE)
                .append("\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n");
        for (EntitySchema schema : schemas.all()) {
            xml.append("      <EntityType Name=\"").append(schema.name()).append("\">\n")
                    .append("        <Key><PropertyRef Name=\"Id\"/></Key>\n");
            for (Column column : schema.columns()) {
                xml.append("        <Property Name=\"").append(column.name()).append("\" Type=\"")
                        .append(column.type().edmName()).append("\" Nullable=\"false\"/>\n");
            }
            for (Column column : schema.columns()) {
                if (isNavigable(column)) {
                    xml.append("        <NavigationProperty Name=\"").append(column.navigationName())
                            .append("\" Type=\"").append(NAMESPACE).append('.').append(column.lookupTarget())
                            .append("\">\n          <ReferentialConstraint Property=\"").append(column.name())
                            .append("\" ReferencedProperty=\"Id\"/>\n        </NavigationProperty>\n");
                }
            }
            xml.append("      </EntityType>\n");
        }
        xml.append("      <EntityContainer Name=\"Default\">\n");
        for (EntitySchema schema : schemas.all()) {
            xml.append("        <EntitySet Name=\"").append(schema.name()).append("\" EntityType=\"")
                    .append(NAMESPACE).append('.').append(schema.name()).append("\">\n");
            for (Column column : schema.columns()) {
                if (isNavigable(column)) {
                    xml.append("          <NavigationPropertyBinding Path=\"").append(column.navigationName())
                            .append("\" Target=\"").append(column.lookupTarget()).append("\"/>\n");
                }
            }
            xml.append("        </EntitySet>\n");
        }
        return xml.append("      </EntityContainer>\n    </Schema>\n  </edmx:DataServices>\n</edmx:Edmx>\n")
                .toString();
    }

    private boolean isNavigable(Column column) {
        return column.isLookup() && schemas.find(column.lookupTarget()).isPresent();
    }
}
