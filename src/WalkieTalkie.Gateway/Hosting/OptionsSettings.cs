using System.Globalization;

namespace WalkieTalkie.Gateway.Hosting;

/// <summary>
/// An options object as configuration settings (<c>Section:Property</c> = value), so that a gateway started from
/// objects (<c>walkie demo</c>, the tests, the bench) binds and validates its options exactly as <c>walkie run</c> does.
/// </summary>
public static class OptionsSettings
{
    public static IEnumerable<KeyValuePair<string, string?>> From(string section, object options)
    {
        foreach (var property in options.GetType().GetProperties())
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0 || (property.SetMethod is null))
            {
                continue;
            }

            var value = property.GetValue(options);
            var text = value switch
            {
                null => null,
                string s => s,
                bool b => b ? "true" : "false",
                TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => null,
            };
            if (text is not null)
            {
                yield return new($"{section}:{property.Name}", text);
            }
        }
    }
}
