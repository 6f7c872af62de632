namespace WalkieTalkie.Protocol
{
    /// <summary>
    /// MQTT topic names. Every topic belongs to one badge, so a broker's access control is one rule: a badge
    /// publishes only under <c>wt/v1/{its id}/up/</c> and subscribes only under <c>wt/v1/{its id}/down/</c>.
    /// </summary>
    public static class Topics
    {
        public const string Prefix = "wt/v1/";

        /// <summary>What the gateway subscribes to: every badge's uplink.</summary>
        public const string AllUplinks = "wt/v1/+/up/#";

        public const int MaxBadgeIdLength = 32;

        public static string UpAudio(string badgeId)
        {
            return Prefix + badgeId + "/up/audio";
        }

        public static string UpControl(string badgeId)
        {
            return Prefix + badgeId + "/up/ctl";
        }

        public static string UpState(string badgeId)
        {
            return Prefix + badgeId + "/up/state";
        }

        public static string DownAudio(string badgeId)
        {
            return Prefix + badgeId + "/down/audio";
        }

        public static string DownControl(string badgeId)
        {
            return Prefix + badgeId + "/down/ctl";
        }

        /// <summary>The filter a badge subscribes with: its own downlink only.</summary>
        public static string DownFilter(string badgeId)
        {
            return Prefix + badgeId + "/down/#";
        }

        /// <summary>
        /// A badge id is 1 to 32 characters of a-z, 0-9 and '-', not starting with '-': safe in a topic, a file
        /// name and a Matrix user id, and free of the MQTT wildcards.
        /// </summary>
        public static bool IsValidBadgeId(string badgeId)
        {
            if (badgeId == null || badgeId.Length == 0 || badgeId.Length > MaxBadgeIdLength || badgeId[0] == '-')
            {
                return false;
            }

            for (var i = 0; i < badgeId.Length; i++)
            {
                var c = badgeId[i];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The badge id and kind of a topic, or <see cref="TopicKind.None"/> (and a null id) for any other topic.</summary>
        public static TopicKind Parse(string topic, out string badgeId)
        {
            badgeId = null;
            if (topic == null || topic.Length <= Prefix.Length || topic.Substring(0, Prefix.Length) != Prefix)
            {
                return TopicKind.None;
            }

            var slash = topic.IndexOf('/', Prefix.Length);
            if (slash < 0)
            {
                return TopicKind.None;
            }

            var id = topic.Substring(Prefix.Length, slash - Prefix.Length);
            if (!IsValidBadgeId(id))
            {
                return TopicKind.None;
            }

            var kind = KindOf(topic.Substring(slash + 1));
            if (kind != TopicKind.None)
            {
                badgeId = id;
            }

            return kind;
        }

        private static TopicKind KindOf(string rest)
        {
            switch (rest)
            {
                case "up/audio": return TopicKind.UpAudio;
                case "up/ctl": return TopicKind.UpControl;
                case "up/state": return TopicKind.UpState;
                case "down/audio": return TopicKind.DownAudio;
                case "down/ctl": return TopicKind.DownControl;
                default: return TopicKind.None;
            }
        }
    }
}
