using WalkieTalkie.Protocol;

namespace WalkieTalkie.Device.Settings
{
    /// <summary>
    /// Reads the identity file provisioning writes to the badge's drive: ASCII lines of <c>key=value</c>
    /// (<c>badge</c>, <c>secret</c>, <c>gateway</c>, optional <c>broker-host</c> and <c>broker-port</c>), '#' starts
    /// a comment, CR LF or LF. A plain format because the badge has no JSON parser and no text encoder.
    /// </summary>
    public static class IdentityFile
    {
        /// <summary>The longest file accepted.</summary>
        public const int MaxLength = 2048;

        /// <summary>
        /// Parses the first <paramref name="length"/> bytes of <paramref name="bytes"/>. Returns the identity, or null
        /// with <paramref name="error"/> naming what is wrong (a missing key, a bad value, a non-ASCII byte).
        /// </summary>
        public static BadgeIdentity Parse(byte[] bytes, int length, out string error)
        {
            error = null;
            if (bytes == null || length <= 0 || length > bytes.Length || length > MaxLength)
            {
                error = "identity file is empty or too long";
                return null;
            }

            var identity = new BadgeIdentity();
            var chars = new char[length];
            var lineStart = 0;
            var lineNumber = 0;
            for (var i = 0; i <= length; i++)
            {
                if (i < length && bytes[i] != (byte)'\n')
                {
                    if (bytes[i] > 0x7E || (bytes[i] < 0x20 && bytes[i] != (byte)'\r' && bytes[i] != (byte)'\t'))
                    {
                        error = "identity file: byte " + i + " is not printable ASCII";
                        return null;
                    }

                    chars[i] = (char)bytes[i];
                    continue;
                }

                lineNumber++;
                var line = new string(chars, lineStart, i - lineStart).Trim();
                lineStart = i + 1;
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var equals = line.IndexOf('=');
                if (equals <= 0)
                {
                    error = "identity file line " + lineNumber + ": expected key=value";
                    return null;
                }

                var key = line.Substring(0, equals).Trim();
                var value = line.Substring(equals + 1).Trim();
                if (!Apply(identity, key, value, out error))
                {
                    error = "identity file line " + lineNumber + ": " + error;
                    return null;
                }
            }

            if (!Topics.IsValidBadgeId(identity.BadgeId))
            {
                error = "identity file: missing or invalid badge";
            }
            else if (identity.Secret == null || identity.Secret.Length == 0)
            {
                error = "identity file: missing secret";
            }
            else if (identity.GatewayUrl == null)
            {
                error = "identity file: missing gateway";
            }

            return error == null ? identity : null;
        }

        private static bool Apply(BadgeIdentity identity, string key, string value, out string error)
        {
            error = null;
            switch (key)
            {
                case "badge":
                    identity.BadgeId = value;
                    return true;
                case "secret":
                    identity.Secret = value;
                    return true;
                case "gateway":
                    if (!value.StartsWith("https://") || value.Length <= 8)
                    {
                        error = "gateway must be an https:// address";
                        return false;
                    }

                    identity.GatewayUrl = value.EndsWith("/") ? value.Substring(0, value.Length - 1) : value;
                    return true;
                case "broker-host":
                    identity.BrokerHost = value;
                    return true;
                case "broker-port":
                    int port;
                    if (!int.TryParse(value, out port) || port < 1 || port > 65535)
                    {
                        error = "broker-port must be 1-65535";
                        return false;
                    }

                    identity.BrokerPort = port;
                    return true;
                default:
                    error = "unknown key " + key;
                    return false;
            }
        }
    }
}
