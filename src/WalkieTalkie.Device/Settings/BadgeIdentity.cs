namespace WalkieTalkie.Device.Settings
{
    /// <summary>What provisioning wrote for this badge: who it is, its secret, and where its configuration is served.</summary>
    public sealed class BadgeIdentity
    {
        /// <summary>The badge id (MQTT client id and user name, and the topics' badge part).</summary>
        public string BadgeId;

        /// <summary>The secret the gateway issued (MQTT password and HTTP Basic password).</summary>
        public string Secret;

        /// <summary>The gateway's HTTPS base address, without a trailing slash (e.g. https://walkie.example:8443).</summary>
        public string GatewayUrl;

        /// <summary>The broker host, when provisioning overrides the site's.</summary>
        public string BrokerHost;

        /// <summary>The broker port, 0 for the site's.</summary>
        public int BrokerPort;

        /// <summary>Where this badge's configuration is served: GET with HTTP Basic auth badgeId:secret.</summary>
        public string ConfigUrl
        {
            get { return GatewayUrl + "/badge/v1/" + BadgeId + "/config"; }
        }
    }
}
