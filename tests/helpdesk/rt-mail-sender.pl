# The e-mail backend's sender in a fresh RT database: a user with the bench's
# address (argument 1) who may reply to tickets in queue General, as a
# district would set it up. An unknown sender's mail is refused by RT's mail
# gateway ("Permission denied"), which is why the help desks want a known
# sender. Prints the user's id.
use strict;
use warnings;
use lib '/usr/share/request-tracker5/lib';
use RT;
RT::LoadConfig();
RT::Init();

my $addr = shift or die "usage: rt-mail-sender.pl ADDRESS\n";
my $user = RT::User->new(RT->SystemUser);
my ($id, $msg) = $user->Create(Name => 'cbdiag-bench', EmailAddress => $addr,
	RealName => 'cbdiag bench', Privileged => 0);
die "user: $msg\n" unless $id;
my $queue = RT::Queue->new(RT->SystemUser);
$queue->Load('General');
die "no queue General\n" unless $queue->Id;
for my $right ('ReplyToTicket', 'SeeQueue', 'ShowTicket') {
	my ($ok, $m) = $user->PrincipalObj->GrantRight(Right => $right, Object => $queue);
	die "right $right: $m\n" unless $ok;
}
print "$id\n";
