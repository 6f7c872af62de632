using System;
using System.Device.Wifi;
using System.Net.Http;
using System.Net.NetworkInformation;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using nanoFramework.Networking;

namespace WalkieTalkie.FacadeUsageCheck
{
    /// <summary>Wi-Fi after a wake, TLS MQTT with a persistent session and a last will, and one HTTP GET.</summary>
    internal sealed class NetworkUsage
    {
        private static readonly string[] Topics = { "wt/badge/b1/in/#" };
        private static readonly MqttQoSLevel[] Levels = { MqttQoSLevel.AtLeastOnce };
        private int _received;

        public bool ReconnectWifi()
        {
            var source = new CancellationTokenSource(20000);
            var ready = WifiNetworkHelper.Reconnect(requiresDateTime: true, token: source.Token);
            return ready && WifiNetworkHelper.Status == NetworkHelperStatus.NetworkIsReady
                && NetworkInterface.GetAllNetworkInterfaces()[0].IPv4Address != null;
        }

        public bool Provision(string ssid, string password)
        {
            return WifiNetworkHelper.ConnectDhcp(ssid, password, WifiReconnectionKind.Automatic, true, 0, new CancellationTokenSource(60000).Token);
        }

        public MqttClient Connect(string host, int port, byte[] caCertificate, string badgeId, string secret)
        {
            var client = new MqttClient(host, port, true, new X509Certificate(caCertificate), null, MqttSslProtocols.TLSv1_2);
            client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
            client.MqttMsgPublishReceived += OnMessage;
            client.ConnectionClosed += OnClosed;
            var result = client.Connect(badgeId, badgeId, secret, true, MqttQoSLevel.AtLeastOnce, true,
                "wt/badge/" + badgeId + "/state", "offline", false, 60);
            if (result != MqttReasonCode.Success)
            {
                client.Dispose();
                return null;
            }

            client.Subscribe(Topics, Levels);
            client.Publish("wt/badge/" + badgeId + "/audio", new byte[164 * 2]);
            client.Publish("wt/badge/" + badgeId + "/state", new byte[1], null, null, MqttQoSLevel.AtLeastOnce, true);
            return client;
        }

        public string FetchConfiguration(string url, X509Certificate ca)
        {
            using (var http = new HttpClient())
            {
                http.HttpsAuthentCert = ca;
                http.Timeout = TimeSpan.FromTicks(10 * TimeSpan.TicksPerSecond);
                using (var response = http.Get(url))
                {
                    return response.IsSuccessStatusCode ? response.Content.ReadAsString() : null;
                }
            }
        }

        public uint FreeManagedHeap()
        {
            return nanoFramework.Runtime.Native.GC.Run(false);
        }

        private void OnMessage(object sender, MqttMsgPublishEventArgs e)
        {
            _received += e.Message.Length;
        }

        private void OnClosed(object sender, EventArgs e)
        {
            _received = 0;
        }
    }
}
