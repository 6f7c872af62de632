namespace WalkieTalkie.Provision.SiteSettings;

/// <summary>nf.settings.json is not what the firmware can be built from; the message says which field and why.</summary>
public sealed class SettingsException(string message) : Exception(message);
