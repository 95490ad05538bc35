# The intern's language, asked first on the repair stick and in the
# developer shell (sourced by both; docs/languages.md). Sets LANGUAGE for
# cbdiag and the lines these scripts print themselves. English when nothing
# is chosen, or when the answer is not one of the numbers.
printf 'Language / Idioma:  1 English   2 Español   (Enter: 1): '
read -r _lang || _lang=
case $_lang in
2)
	LANGUAGE=es
	t_ticket='Número de ticket (Enter si no hay): '
	t_ticket_bad='Solo letras, números y -, por favor.'
	t_tech='Tus iniciales: '
	t_tech_bad='Solo letras, por favor (de 2 a 4).'
	t_stopped='Las pruebas se pararon antes del final. Avisa al personal.'
	t_power_off='Pulsa Enter para apagar. '
	t_on_stick='Informes en esta memoria USB'
	t_kept='guardados en este Chromebook en'
	;;
*)
	LANGUAGE=en
	t_ticket='Ticket number (Enter if there is none): '
	t_ticket_bad='Letters, digits and - only, please.'
	t_tech='Your initials: '
	t_tech_bad='Letters only, please (2 to 4).'
	t_stopped='The checks stopped before the end. Tell staff.'
	t_power_off='Press Enter to power off. '
	t_on_stick='Reports on this stick'
	t_kept='kept on this Chromebook in'
	;;
esac
export LANGUAGE
unset _lang
