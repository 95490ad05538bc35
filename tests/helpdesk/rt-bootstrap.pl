# Create what the help-desk tests need in a fresh RT database: the "Serial
# Number" and "Asset Tag" ticket custom fields (all queues) and a REST2 token
# for root, printed on stdout. RT 5 has RT::AuthToken but no script for it.
use strict;
use warnings;
use lib '/usr/share/request-tracker5/lib';
use RT;
RT::LoadConfig();
RT::Init();

for my $name ('Serial Number', 'Asset Tag') {
	my $cf = RT::CustomField->new(RT->SystemUser);
	$cf->LoadByName(Name => $name, LookupType => RT::Ticket->CustomFieldLookupType);
	next if $cf->Id;
	my ($ok, $msg) = $cf->Create(Name => $name, Type => 'Freeform', MaxValues => 1,
		LookupType => RT::Ticket->CustomFieldLookupType);
	die "custom field $name: $msg\n" unless $ok;
	($ok, $msg) = $cf->AddToObject(RT::Queue->new(RT->SystemUser));
	die "custom field $name on all queues: $msg\n" unless $ok;
}
my $user = RT::User->new(RT->SystemUser);
$user->Load('root');
my ($id, $msg, $token) = RT::AuthToken->new(RT->SystemUser)
	->Create(Owner => $user->Id, Description => 'cbdiag tests');
die "token: $msg\n" unless $id;
print "$token\n";
