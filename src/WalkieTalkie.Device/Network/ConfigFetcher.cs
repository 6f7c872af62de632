using System;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using WalkieTalkie.Badge.Messaging;
using WalkieTalkie.Device.Diagnostics;
using WalkieTalkie.Device.Settings;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;
using WalkieTalkie.Protocol.Wire;

namespace WalkieTalkie.Device.Network
{
    /// <summary>
    /// Fetches the badge's configuration from the gateway over HTTPS (<c>GET /badge/v1/{badge}/config</c>, HTTP Basic
    /// with the badge id and secret), whose body is exactly a <c>config</c> control message. The bytes go into the
    /// badge's inbox as if they had arrived on its control topic, so the Badge library alone decides whether the
    /// version is newer, applies it and caches it. A request blocks the runtime: it runs only while the badge is idle.
    /// </summary>
    public sealed class ConfigFetcher
    {
        private const int TimeoutSeconds = 10;

        private readonly BadgeIdentity _identity;
        private readonly X509Certificate _ca;
        private readonly SerialLog _log;
        private readonly string _authorization;
        private readonly string _controlTopic;
        private readonly ControlMessageReader _reader = new ControlMessageReader();

        public ConfigFetcher(BadgeIdentity identity, X509Certificate ca, SerialLog log)
        {
            _identity = identity;
            _ca = ca;
            _log = log;
            _controlTopic = Topics.DownControl(identity.BadgeId);
            var credentials = identity.BadgeId + ":" + identity.Secret;
            var bytes = new byte[Utf8.GetByteCount(credentials)];
            Utf8.Encode(credentials, bytes, 0);
            _authorization = "Basic " + Convert.ToBase64String(bytes);
        }

        /// <summary>Fetches the configuration and posts it to <paramref name="inbox"/>; false when that did not work (logged).</summary>
        public bool FetchInto(MessageInbox inbox)
        {
            var url = _identity.ConfigUrl;
            try
            {
                using (var http = new HttpClient())
                {
                    http.HttpsAuthentCert = _ca;
                    http.Timeout = TimeSpan.FromTicks(TimeoutSeconds * TimeSpan.TicksPerSecond);
                    http.DefaultRequestHeaders.Add("Authorization", _authorization);
                    using (var response = http.Get(url))
                    {
                        if (!response.IsSuccessStatusCode)
                        {
                            _log.Line("config: " + url + " answered " + (int)response.StatusCode);
                            return false;
                        }

                        var body = response.Content.ReadAsByteArray();
                        var error = _reader.Read(body, 0, body.Length, ControlDirection.Downlink);
                        if (error != ProtocolError.None || !(_reader.Message is Config))
                        {
                            _log.Line("config: the gateway's answer is not a config message (error " + (int)error + ")");
                            return false;
                        }

                        return inbox.Post(_controlTopic, body, 0, body.Length);
                    }
                }
            }
            catch (Exception e)
            {
                _log.Line("config: cannot fetch " + url + ", " + e.Message);
                return false;
            }
        }
    }
}
