package com.helpdeskconnect.creatio.odata;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * One entity type as {@code $metadata} describes it: column types ({@code Edm.String}, ...) and
 * lookups (navigation properties, by the name of the entity they point at). How the connector
 * learns custom {@code Usr...} columns and coerces AI-filled values.
 */
public record EntityModel(String name, Map<String, String> properties, Map<String, String> lookups) {

    public Optional<String> propertyType(String column) {
        return Optional.ofNullable(properties.get(column));
    }

    /** The entity a lookup column points at: {@code Priority} (or {@code PriorityId}) → {@code CasePriority}. */
    public Optional<String> lookupTarget(String column) {
        String nav = column.endsWith("Id") && !lookups.containsKey(column)
                ? column.substring(0, column.length() - 2) : column;
        return Optional.ofNullable(lookups.get(nav));
    }

    /** Reads the named entity type from an EDMX document. */
    public static EntityModel parse(String edmx, String entityType) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(edmx.getBytes(StandardCharsets.UTF_8)));
            NodeList types = doc.getElementsByTagNameNS("*", "EntityType");
            for (int i = 0; i < types.getLength(); i++) {
                Element type = (Element) types.item(i);
                if (!entityType.equals(type.getAttribute("Name"))) {
                    continue;
                }
                Map<String, String> properties = new LinkedHashMap<>();
                Map<String, String> lookups = new LinkedHashMap<>();
                NodeList props = type.getElementsByTagNameNS("*", "Property");
                for (int p = 0; p < props.getLength(); p++) {
                    Element prop = (Element) props.item(p);
                    properties.put(prop.getAttribute("Name"), prop.getAttribute("Type"));
                }
                NodeList navs = type.getElementsByTagNameNS("*", "NavigationProperty");
                for (int n = 0; n < navs.getLength(); n++) {
                    Element nav = (Element) navs.item(n);
                    String target = nav.getAttribute("Type");
                    lookups.put(nav.getAttribute("Name"), target.substring(target.lastIndexOf('.') + 1));
                }
                return new EntityModel(entityType, Map.copyOf(properties), Map.copyOf(lookups));
            }
            throw new IllegalArgumentException("$metadata has no entity type " + entityType);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("Unreadable $metadata: " + e.getClass().getSimpleName(), e);
        }
    }
}
