using nanoFramework.TestFramework;
using WalkieTalkie.Badge.Hardware;
using WalkieTalkie.Badge.Machine;
using WalkieTalkie.Device.OnDeviceTests.Fakes;
using WalkieTalkie.Protocol;
using WalkieTalkie.Protocol.Audio;
using WalkieTalkie.Protocol.Control;

namespace WalkieTalkie.Device.OnDeviceTests
{
    /// <summary>
    /// The badge's state machine on the device's runtime, with fakes for the hardware: boot with a cached
    /// configuration, push-to-talk to a granted floor and the first audio frame, the do-not-disturb gesture, the private-reply double press, the SOS hold. State is static (the test runner
    /// calls methods without an instance), so the methods run in order on one badge.
    /// </summary>
    [TestClass]
    public class BadgeTests
    {
        private static FakeClock s_clock;
        private static FakeAudio s_audio;
        private static FakeButtons s_buttons;
        private static FakeIndicator s_indicator;
        private static FakeTransport s_transport;
        private static FakeSettings s_settings;
        private static BadgeController s_badge;
        private static ControlMessageReader s_reader;

        [Setup]
        public void Boot()
        {
            s_clock = new FakeClock();
            s_audio = new FakeAudio();
            s_buttons = new FakeButtons();
            s_indicator = new FakeIndicator();
            s_transport = new FakeTransport();
            s_settings = new FakeSettings();
            s_reader = new ControlMessageReader();

            var config = new Config();
            config.Version = 3;
            config.MaxTalkSeconds = 30;
            config.BlocksPerFrame = 2;
            var channel = new ChannelConfig();
            channel.Channel = 7;
            channel.RateCode = SampleRate.Narrowband;
            channel.Permits = Permits.Known;
            channel.Name = "family";
            config.Channels = new ChannelConfig[] { channel };
            s_settings.Cached = config.ToBytes();

            var hardware = new BadgeHardware();
            hardware.Capture = s_audio;
            hardware.Playback = s_audio;
            hardware.Buttons = s_buttons;
            hardware.Indicator = s_indicator;
            hardware.Power = new FakePower();
            hardware.Transport = s_transport;
            hardware.Clock = s_clock;
            hardware.Settings = s_settings;
            s_badge = new BadgeController(hardware, new BadgeOptions(), null);
            s_badge.Start();
        }

        [TestMethod]
        public void A_booted_badge_connects_subscribes_and_announces_itself()
        {
            s_badge.Step();
            Assert.AreEqual((int)BadgeMode.Idle, (int)s_badge.Mode);
            Assert.AreEqual("wt/v1/anna/down/#", s_transport.Subscribed);
            Assert.AreEqual(Topics.UpState("anna"), s_transport.LastTopic);
            Assert.AreEqual(7, s_badge.SelectedChannel);
        }

        [TestMethod]
        public void Push_to_talk_then_a_grant_starts_capture_and_sends_a_frame()
        {
            s_buttons.TalkDown = true;
            s_clock.Now += 10;
            s_badge.Step();
            Assert.AreEqual((int)BadgeMode.Requesting, (int)s_badge.Mode);
            Assert.AreEqual(Topics.UpControl("anna"), s_transport.LastTopic);
            Assert.AreEqual((int)ProtocolError.None, (int)s_reader.Read(s_transport.LastPayload, 0, s_transport.LastLength, ControlDirection.Uplink));
            Assert.AreEqual((byte)7, ((FloorRequest)s_reader.Message).Channel);

            var grant = new FloorGranted();
            grant.Channel = 7;
            grant.BurstId = 42;
            grant.MaxTalkSeconds = 30;
            var bytes = grant.ToBytes();
            Assert.IsTrue(s_badge.Inbox.Post(Topics.DownControl("anna"), bytes, 0, bytes.Length));
            s_clock.Now += 10;
            s_badge.Step();
            Assert.AreEqual((int)BadgeMode.Talking, (int)s_badge.Mode);
            Assert.AreEqual((int)Tone.Talk, (int)s_indicator.LastTone);
            Assert.AreEqual(8000, s_audio.CaptureRate);

            for (var i = 0; i < 4 && s_badge.TotalFramesSent == 0; i++)
            {
                s_clock.Now += 40;
                s_badge.Step();
            }

            Assert.AreEqual(1, s_badge.TotalFramesSent);
            Assert.AreEqual(Topics.UpAudio("anna"), s_transport.LastTopic);
        }

        [TestMethod]
        public void A_newer_config_from_the_gateway_is_applied_and_cached()
        {
            var config = new Config();
            config.Version = 4;
            config.MaxTalkSeconds = 20;
            config.BlocksPerFrame = 1;
            var channel = new ChannelConfig();
            channel.Channel = 9;
            channel.RateCode = SampleRate.Wideband;
            channel.Name = "shop";
            config.Channels = new ChannelConfig[] { channel };
            var bytes = config.ToBytes();
            s_badge.Inbox.Post(Topics.DownControl("anna"), bytes, 0, bytes.Length);
            s_clock.Now += 10;
            s_badge.Step();
            Assert.AreEqual((uint)4, s_badge.Config.Version);
            CollectionAssert.AreEqual(bytes, s_settings.Cached);
        }

        [TestMethod]
        public void Letting_go_of_a_long_press_of_the_second_button_turns_do_not_disturb_on()
        {
            s_buttons.TalkDown = false;
            for (var i = 0; i < 10 && s_badge.Mode != BadgeMode.Idle; i++)
            {
                s_clock.Now += 20;
                s_badge.Step();
            }

            s_buttons.ChannelDown = true;
            for (var i = 0; i < 60; i++)
            {
                s_clock.Now += 20;
                s_badge.Step();
            }

            s_buttons.ChannelDown = false;
            s_clock.Now += 20;
            s_badge.Step();
            Assert.AreEqual(Topics.UpControl("anna"), s_transport.LastTopic);
            Assert.AreEqual((int)ProtocolError.None, (int)s_reader.Read(s_transport.LastPayload, 0, s_transport.LastLength, ControlDirection.Uplink));
            Assert.IsTrue(((DoNotDisturb)s_reader.Message).On);
            Assert.AreEqual((int)Tone.DoNotDisturbOn, (int)s_indicator.LastTone);
            Assert.AreEqual((int)LedState.Quiet, (int)s_indicator.Led);
        }

        [TestMethod]
        public void A_double_press_of_push_to_talk_asks_for_a_private_reply_and_its_grant_talks_privately()
        {
            s_buttons.TalkDown = true;
            s_clock.Now += 20;
            s_badge.Step();
            Assert.AreEqual((int)ProtocolError.None, (int)s_reader.Read(s_transport.LastPayload, 0, s_transport.LastLength, ControlDirection.Uplink));
            Assert.AreEqual((int)MessageType.FloorRequest, (int)s_reader.Message.Type);

            s_buttons.TalkDown = false;
            s_clock.Now += 100;
            s_badge.Step();
            s_buttons.TalkDown = true;
            s_clock.Now += 100;
            s_badge.Step();
            Assert.AreEqual((int)BadgeMode.Requesting, (int)s_badge.Mode);
            Assert.AreEqual((int)ProtocolError.None, (int)s_reader.Read(s_transport.LastPayload, 0, s_transport.LastLength, ControlDirection.Uplink));
            // The channel the newer config selected.
            Assert.AreEqual((byte)9, ((ReplyRequest)s_reader.Message).Channel);

            var grant = new ReplyGranted();
            grant.Channel = 9;
            grant.BurstId = 43;
            grant.MaxTalkSeconds = 30;
            grant.To = "Papa";
            var bytes = grant.ToBytes();
            Assert.IsTrue(s_badge.Inbox.Post(Topics.DownControl("anna"), bytes, 0, bytes.Length));
            s_clock.Now += 10;
            s_badge.Step();
            Assert.AreEqual((int)BadgeMode.Talking, (int)s_badge.Mode);
            Assert.AreEqual((int)Tone.PrivateTalk, (int)s_indicator.LastTone);
            Assert.AreEqual((int)LedState.PrivateTalking, (int)s_indicator.Led);

            // The private burst ends with the button: the SOS hold below starts from an idle badge.
            s_buttons.TalkDown = false;
            for (var i = 0; i < 10; i++)
            {
                s_clock.Now += 20;
                s_badge.Step();
            }
        }

        [TestMethod]
        public void Holding_the_second_button_for_the_sos_time_opens_an_emergency_and_toggles_no_do_not_disturb()
        {
            var before = s_transport.Published;
            s_buttons.ChannelDown = true;
            for (var i = 0; i < 155; i++)
            {
                s_clock.Now += 20;
                s_badge.Step();
            }

            // Opened while still held: the emergency, then the emergency floor request for the open microphone.
            Assert.AreEqual(before + 2, s_transport.Published);
            Assert.AreEqual((int)ProtocolError.None, (int)s_reader.Read(s_transport.LastPayload, 0, s_transport.LastLength, ControlDirection.Uplink));
            Assert.IsTrue(((FloorRequest)s_reader.Message).IsEmergency);
            Assert.AreEqual((int)Tone.EmergencyOpened, (int)s_indicator.LastTone);
            Assert.IsTrue(s_badge.EmergencyOpen);

            s_buttons.ChannelDown = false;
            s_clock.Now += 20;
            s_badge.Step();
            Assert.AreEqual(before + 2, s_transport.Published);
            Assert.IsTrue(s_badge.Quiet.DoNotDisturbOn);
        }
    }
}
