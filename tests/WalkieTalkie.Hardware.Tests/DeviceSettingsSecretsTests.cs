using System.Text.Json;
using System.Text.RegularExpressions;

namespace WalkieTalkie.Hardware.Tests;

/// <summary>nf.settings.json is in the repository, so it must never hold a secret.</summary>
public partial class DeviceSettingsSecretsTests
{
    [Fact]
    public void The_settings_name_no_secret()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("nf.settings.json")));

        var offending = Properties(document.RootElement, "")
            .Where(property => SecretName().IsMatch(property.Name) || property.Value.Contains("-----BEGIN", StringComparison.Ordinal))
            .Select(property => property.Path)
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void The_secret_rule_catches_a_password()
    {
        Assert.Matches(SecretName(), "wifiPassword");
        Assert.Matches(SecretName(), "badgeSecret");
        Assert.DoesNotMatch(SecretName(), "keepAliveSeconds");
    }

    [Fact]
    public void The_settings_declare_a_known_schema_version_and_the_reference_target()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("nf.settings.json")));
        var root = document.RootElement;

        Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("ESP32_PSRAM_REV3", root.GetProperty("board").GetProperty("target").GetString());
        Assert.Equal(337, root.GetProperty("audio").GetProperty("samplesPerBlock").GetInt32());
        Assert.Equal(8000, root.GetProperty("audio").GetProperty("sampleRate").GetInt32());
    }

    private static IEnumerable<(string Path, string Name, string Value)> Properties(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var childPath = path + "/" + property.Name;
                    var value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() ?? "" : "";
                    yield return (childPath, property.Name, value);
                    foreach (var nested in Properties(property.Value, childPath))
                    {
                        yield return nested;
                    }
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var nested in Properties(item, path + "/" + index++))
                    {
                        yield return nested;
                    }
                }

                break;
        }
    }

    [GeneratedRegex("(?i)password|passphrase|secret|token|private|psk|apikey|credential")]
    private static partial Regex SecretName();
}
