using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    /// <summary>
    /// When an idle badge sleeps: standby (audio off, MQTT kept) after <c>StandbyAfter</c> idle, pocket sleep (deep
    /// sleep until the button or the check-in timer) after <c>PocketAfter</c> in standby, and straight back to pocket
    /// sleep after <c>CheckInAwake</c> when a check-in wake found nothing to do. It tells the gateway with
    /// <c>sleep</c>; the controller does the rest (state, power, LED).
    /// </summary>
    public sealed class SleepPolicy
    {
        private readonly GatewayLink _link;
        private readonly SleepAnnouncement _announcement = new SleepAnnouncement();
        private readonly int _standbyAfterMilliseconds;
        private readonly int _pocketAfterMilliseconds;
        private readonly int _checkInAwakeMilliseconds;
        private long _idleSince;
        private long _standbySince;
        private bool _checkInOnly;
        private long _pocketWakeAt;

        /// <summary>Times in milliseconds, as in <see cref="BadgeOptions"/>; a standby or pocket time of 0 means never.</summary>
        public SleepPolicy(GatewayLink link, int standbyAfterMilliseconds, int pocketAfterMilliseconds, int checkInAwakeMilliseconds)
        {
            _link = link;
            _standbyAfterMilliseconds = standbyAfterMilliseconds;
            _pocketAfterMilliseconds = pocketAfterMilliseconds;
            _checkInAwakeMilliseconds = checkInAwakeMilliseconds;
        }

        /// <summary>The badge (re)started, woken by <paramref name="cause"/>.</summary>
        public void Woke(WakeCause cause)
        {
            _checkInOnly = cause == WakeCause.Timer;
        }

        /// <summary>The wearer pressed a button: a check-in wake becomes an ordinary one.</summary>
        public void Touched()
        {
            _checkInOnly = false;
        }

        /// <summary>Something happened worth staying awake for: idle time counts from <paramref name="now"/>.</summary>
        public void KeepAwake(long now)
        {
            _idleSince = now;
        }

        /// <summary>What an idle badge turns into now: <see cref="BadgeMode.Pocket"/>, <see cref="BadgeMode.Standby"/>, or <see cref="BadgeMode.Idle"/> (stays).</summary>
        public BadgeMode NextFromIdle(long now)
        {
            var idle = now - _idleSince;
            if (_checkInOnly)
            {
                // Woken by the check-in timer and not touched since: straight back to pocket sleep, no standby between.
                return idle >= _checkInAwakeMilliseconds ? BadgeMode.Pocket : BadgeMode.Idle;
            }

            return _standbyAfterMilliseconds > 0 && idle >= _standbyAfterMilliseconds ? BadgeMode.Standby : BadgeMode.Idle;
        }

        /// <summary>True when a badge in standby should go to pocket sleep now.</summary>
        public bool IsPocketDue(long now)
        {
            return _pocketAfterMilliseconds > 0 && now - _standbySince >= _pocketAfterMilliseconds;
        }

        /// <summary>Tells the gateway the badge goes to standby.</summary>
        public void AnnounceStandby(long now)
        {
            _announcement.Mode = SleepMode.Standby;
            _announcement.NextCheckInSeconds = 0;
            _link.PublishControl(_announcement);
            _standbySince = now;
        }

        /// <summary>Tells the gateway the badge goes to pocket sleep and checks in after <paramref name="checkInSeconds"/> (0: only the button wakes it).</summary>
        public void AnnouncePocket(uint checkInSeconds, long now)
        {
            // The interval, not a time of day: the wire says "next check-in in seconds", and the timer needs no
            // synced clock, so a badge without time sync still checks in.
            _announcement.Mode = SleepMode.Pocket;
            _announcement.NextCheckInSeconds = checkInSeconds;
            _link.PublishControl(_announcement);
            _pocketWakeAt = checkInSeconds == 0 ? long.MaxValue : now + checkInSeconds * 1000L;
        }

        /// <summary>True when the check-in timer of a pocket sleep has run out.</summary>
        public bool IsCheckInDue(long now)
        {
            return now >= _pocketWakeAt;
        }
    }
}
