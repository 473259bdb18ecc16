/**
 * Settings declared once: a {@link org.vellum.api.settings.Setting} names its OSGi property and its iipsrv-style
 * environment variable, and holds its type, default, check and one line of documentation; it reads itself from a
 * {@link org.vellum.api.settings.SettingSource} (environment, servlet context parameters, typed OSGi configuration),
 * and {@link org.vellum.api.settings.SettingsDocument} renders the documentation table and the metatype interface
 * from the same declarations. Exported, so adapter bundles declare their settings the same way.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vellum.api.settings;
