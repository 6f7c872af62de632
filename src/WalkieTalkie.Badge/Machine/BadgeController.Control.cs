using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Messaging;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Badge.Machine
{
    // What the gateway says: the inbox, read once per step, and each downlink control message.
    public sealed partial class BadgeController
    {
        private void DrainInbox(long now)
        {
            // Only what waits now: a flood cannot keep the step from its audio work for long.
            var waiting = Inbox.Count;
            for (var i = 0; i < waiting; i++)
            {
                byte[] buffer;
                int length;
                var kind = Inbox.Peek(out buffer, out length);
                if (kind == InboxKind.Audio)
                {
                    OnFrame(buffer, length, now);
                }
                else if (kind == InboxKind.Control)
                {
                    OnControl(buffer, length, now);
                }

                Inbox.Release();
            }
        }

        private void OnControl(byte[] buffer, int length, long now)
        {
            var error = _controlReader.Read(buffer, 0, length, ControlDirection.Downlink);
            if (error != ProtocolError.None)
            {
                _observer.Event(BadgeEvent.BadMessage, 0, 0, (int)error);
                return;
            }

            var message = _controlReader.Message;
            switch (message.Type)
            {
                case MessageType.FloorGranted:
                    OnGranted((FloorGranted)message, now);
                    break;
                case MessageType.FloorDenied:
                    OnDenied((FloorDenied)message, now);
                    break;
                case MessageType.FloorRevoked:
                    OnRevoked((FloorRevoked)message, now);
                    break;
                case MessageType.BurstStart:
                    OnBurstStart((BurstStart)message, now);
                    break;
                case MessageType.BurstEnd:
                    OnBurstEnd((BurstEnd)message);
                    break;
                case MessageType.Wake:
                    OnWake((Wake)message, now);
                    break;
                case MessageType.UnplayedList:
                    OnUnplayedList((UnplayedList)message);
                    break;
                case MessageType.PermitOffer:
                    _permits.Offered((PermitOffer)message);
                    _indicator.PlayTone(Tone.PermitOffer);
                    _indicator.ShowLed(LedState.PermitOffer);
                    break;
                case MessageType.QuietState:
                    _quiet.Apply((QuietState)message);
                    _observer.Event(BadgeEvent.QuietChanged, 0, 0, _quiet.Waiting);
                    ShowIdleLed();
                    break;
                case MessageType.EmergencyState:
                    OnEmergencyState((EmergencyState)message);
                    break;
                case MessageType.PermitRevoked:
                    _permits.Revoked((PermitRevoked)message);
                    break;
                case MessageType.ChannelOptions:
                    _active.Apply((ChannelOptions)message);
                    break;
                case MessageType.TalkerOptions:
                    _active.Apply((TalkerOptions)message);
                    break;
                case MessageType.Listeners:
                    OnListeners((Listeners)message);
                    break;
                case MessageType.ReplyGranted:
                    OnReplyGranted((ReplyGranted)message, now);
                    break;
                case MessageType.ReplyDenied:
                    OnReplyDenied((ReplyDenied)message, now);
                    break;
                case MessageType.ReplyIncoming:
                    var incoming = (ReplyIncoming)message;
                    _privateBurst = incoming.BurstId;
                    _privateBurstAnnounced = true;
                    _observer.Event(BadgeEvent.ReplyIncoming, incoming.Channel, incoming.BurstId, 0);
                    break;
                case MessageType.Config:
                    var config = (Config)message;
                    if (config.Version >= _active.Config.Version)
                    {
                        _active.Apply(config);
                        _settings.WriteConfig(buffer, length);
                        _observer.Event(BadgeEvent.ConfigApplied, (byte)SelectedChannelOrZero(), 0, (int)config.Version);
                    }

                    break;
            }
        }

        private void OnWake(Wake wake, long now)
        {
            _observer.Event(BadgeEvent.WakeReceived, wake.Channel, wake.BurstId, (int)wake.Reason);
            if (_mode == BadgeMode.Standby)
            {
                LeaveStandby();
                EnterIdle(now);
            }
            else if (_mode == BadgeMode.Idle)
            {
                _sleep.KeepAwake(now);
            }
        }

        private void AcceptOffer()
        {
            if (_permits.Accept())
            {
                _indicator.ShowLed(_mode == BadgeMode.Idle ? IdleLed : LedState.Receiving);
            }
        }

        /// <summary>The second button's long press with no offer waiting: do-not-disturb on or off.</summary>
        private void ToggleDoNotDisturb()
        {
            _indicator.PlayTone(_quiet.Toggle());
            _observer.Event(BadgeEvent.QuietChanged, 0, 0, _quiet.Waiting);
            ShowIdleLed();
        }

        private void ShowIdleLed()
        {
            if (_mode == BadgeMode.Idle)
            {
                _indicator.ShowLed(IdleLed);
            }
        }

        private void SelectNextChannel(long now)
        {
            if (!_active.SelectNext())
            {
                return;
            }

            _indicator.PlayTone(Tone.ChannelChanged);
            _observer.Event(BadgeEvent.ChannelSelected, (byte)SelectedChannel, 0, _active.SelectedIndex);
            PublishState(_mode == BadgeMode.Receiving ? BadgeStatus.Listening : BadgeStatus.Idle);
            _sleep.KeepAwake(now);
        }
    }
}
